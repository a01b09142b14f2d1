package io.consilium.router.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {

    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SignInThrottle throttle = new SignInThrottle(clock, meters);

    @Test
    void should_double_the_wait_after_each_failure_from_the_second_on_up_to_a_ceiling() {
        assertThat(SignInThrottle.waitAfter(1)).isZero();
        assertThat(SignInThrottle.waitAfter(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(SignInThrottle.waitAfter(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(SignInThrottle.waitAfter(5)).isEqualTo(Duration.ofSeconds(8));
        assertThat(SignInThrottle.waitAfter(60)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void should_make_only_the_failing_address_wait_and_count_what_it_refused() {
        // given
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");

        // when
        var waitNow = throttle.waitBeforeAttempt("10.0.0.1");
        var other = throttle.waitBeforeAttempt("10.0.0.2");
        clock.advance(Duration.ofMillis(1_500));
        var waitLater = throttle.waitBeforeAttempt("10.0.0.1");
        clock.advance(Duration.ofMillis(600));
        var afterWait = throttle.waitBeforeAttempt("10.0.0.1");

        // then
        assertThat(waitNow).hasValue(Duration.ofSeconds(2));
        assertThat(other).isEmpty();
        assertThat(waitLater).hasValue(Duration.ofMillis(500));
        assertThat(afterWait).isEmpty();
        assertThat(meters.get("consilium.admin.sign.in").tag("outcome", "throttled").counter().count()).isEqualTo(2);
        assertThat(meters.get("consilium.admin.sign.in").tag("outcome", "failed").counter().count()).isEqualTo(3);
    }

    @Test
    void should_forget_an_address_once_it_signs_in() {
        // given
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");

        // when
        throttle.succeeded("10.0.0.1");

        // then
        assertThat(throttle.waitBeforeAttempt("10.0.0.1")).isEmpty();
        throttle.failed("10.0.0.1");
        assertThat(throttle.waitBeforeAttempt("10.0.0.1")).isEmpty();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-06T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
