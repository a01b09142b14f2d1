package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.ExpertRateLimitedException;
import io.consilium.registry.ExpertServerException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RetryAfterHoldTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RetryAfterHold hold = new RetryAfterHold("limited", Duration.ofMinutes(1), meters, now::get);
    private final AtomicInteger attempts = new AtomicInteger();

    private Supplier<String> answering(RuntimeException... failures) {
        return hold.decorate(() -> {
            int attempt = attempts.getAndIncrement();
            if (attempt < failures.length) {
                throw failures[attempt];
            }
            return "answer";
        });
    }

    private static ExpertRateLimitedException tooMany(Duration retryAfter) {
        return new ExpertRateLimitedException("limited", retryAfter);
    }

    private void advance(Duration time) {
        now.addAndGet(time.toNanos());
    }

    private double count(String source) {
        return meters.get(RetryAfterHold.METER).tag("expert", "limited").tag("source", source).counter().count();
    }

    @Test
    void should_refuse_attempts_without_calling_until_the_retry_after_has_passed() {
        // given
        Supplier<String> call = answering(tooMany(Duration.ofSeconds(2)));
        assertThatThrownBy(call::get).isInstanceOf(ExpertRateLimitedException.class);

        // when: a second later, then after the wait
        advance(Duration.ofSeconds(1));
        Throwable during = org.assertj.core.api.Assertions.catchThrowable(call::get);
        boolean heldDuring = hold.holds();
        advance(Duration.ofMillis(1001));
        String after = call.get();

        // then
        assertThat(during).isInstanceOfSatisfying(ExpertRateLimitedException.class,
                e -> assertThat(e.retryAfter()).contains(Duration.ofMillis(1000)));
        assertThat(heldDuring).isTrue();
        assertThat(after).isEqualTo("answer");
        assertThat(hold.holds()).isFalse();
        assertThat(attempts).hasValue(2);
        assertThat(count("upstream")).isEqualTo(1);
        assertThat(count("local")).isEqualTo(1);
    }

    @Test
    void should_not_hold_when_the_429_named_no_wait() {
        // given
        Supplier<String> call = answering(new ExpertRateLimitedException("limited", null));
        assertThatThrownBy(call::get).isInstanceOf(ExpertRateLimitedException.class);

        // when / then
        assertThat(hold.holds()).isFalse();
        assertThat(call.get()).isEqualTo("answer");
        assertThat(count("upstream")).isEqualTo(1);
        assertThat(count("local")).isZero();
    }

    @Test
    void should_cut_a_retry_after_longer_than_the_limit_to_the_limit() {
        // given
        Supplier<String> call = answering(tooMany(Duration.ofHours(6)));
        assertThatThrownBy(call::get).isInstanceOf(ExpertRateLimitedException.class);

        // when
        advance(Duration.ofSeconds(59));
        boolean heldBefore = hold.holds();
        advance(Duration.ofSeconds(2));

        // then
        assertThat(heldBefore).isTrue();
        assertThat(call.get()).isEqualTo("answer");
    }

    @Test
    void should_keep_the_later_end_when_a_shorter_wait_arrives_after_a_longer_one() {
        // given
        Supplier<String> longWait = hold.decorate(() -> {
            throw tooMany(Duration.ofSeconds(10));
        });
        Supplier<String> shortWaitInFlight = hold.decorate(() -> {
            // while this attempt was with the upstream, another one met a 429 asking for ten seconds
            assertThatThrownBy(longWait::get).isInstanceOf(ExpertRateLimitedException.class);
            throw tooMany(Duration.ofSeconds(2));
        });

        // when
        assertThatThrownBy(shortWaitInFlight::get).isInstanceOf(ExpertRateLimitedException.class);
        advance(Duration.ofSeconds(5));
        boolean heldAfterFive = hold.holds();
        advance(Duration.ofSeconds(6));

        // then
        assertThat(heldAfterFive).isTrue();
        assertThat(hold.holds()).isFalse();
        assertThat(count("upstream")).isEqualTo(2);
    }

    @Test
    void should_let_other_failures_through_without_holding_or_counting() {
        // given
        Supplier<String> call = answering(new ExpertServerException("limited", 503, "down", null));

        // when / then
        assertThatThrownBy(call::get).isInstanceOf(ExpertServerException.class);
        assertThat(hold.holds()).isFalse();
        assertThat(count("upstream")).isZero();
    }
}
