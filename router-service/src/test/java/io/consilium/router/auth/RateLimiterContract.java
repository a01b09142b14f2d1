package io.consilium.router.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RateLimiter} must do; run against memory and Redis. */
abstract class RateLimiterContract {

    protected RateLimiter limiter;

    /** A limiter whose buckets are all full. */
    protected abstract RateLimiter newLimiter();

    @BeforeEach
    void freshLimiter() {
        limiter = newLimiter();
    }

    @Test
    void should_allow_a_full_bucket_then_say_how_long_to_wait() {
        // when
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryTake("k1:requests", 5, 1)).as("take %d", i).isZero();
        }
        long wait = limiter.tryTake("k1:requests", 5, 1);

        // then: one token comes back every 12 s at 5 per minute
        assertThat(wait).isBetween(1L, 12_000L);
    }

    @Test
    void should_keep_buckets_apart() {
        // given
        limiter.tryTake("k1:requests", 1, 1);

        // then
        assertThat(limiter.tryTake("k1:requests", 1, 1)).isPositive();
        assertThat(limiter.tryTake("k2:requests", 1, 1)).isZero();
    }

    @Test
    void should_let_a_charge_overdraw_the_bucket_so_later_takes_wait() {
        // given
        assertThat(limiter.tryTake("k1:tokens", 100, 1)).isZero();

        // when
        limiter.charge("k1:tokens", 100, 250);

        // then: 151 tokens short at 100 per minute
        assertThat(limiter.tryTake("k1:tokens", 100, 1)).isBetween(60_000L, 100_000L);
    }

    @Test
    void should_let_exactly_the_capacity_through_when_many_take_at_once() throws Exception {
        // given
        AtomicInteger admitted = new AtomicInteger();

        // when
        try (ExecutorService callers = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 60; i++) {
                callers.submit(() -> {
                    if (limiter.tryTake("k1:requests", 20, 1) == 0) {
                        admitted.incrementAndGet();
                    }
                });
            }
        }

        // then: a token refills every 3 s, far longer than the burst takes
        assertThat(admitted).hasValue(20);
    }
}
