package io.consilium.router.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Slows down guessing the admin key at the sign-in form: after each failed attempt from a client address,
 * that address must wait twice as long as after the one before ({@value #FIRST_WAIT_MILLIS} ms after the
 * second failure, at most {@link #LONGEST_WAIT}) before it may try again; attempts within the wait are
 * refused unseen. A successful sign-in clears the address. The first failure costs nothing, so a typo is
 * not punished. Addresses are forgotten after a day without failures; the table is bounded.
 */
public final class SignInThrottle {

    private static final long FIRST_WAIT_MILLIS = 1_000;
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(15);
    private static final Duration FORGET_AFTER = Duration.ofDays(1);
    private static final int MOST_ADDRESSES = 100_000;

    private final Clock clock;
    private final Cache<String, Failures> failures;
    private final Counter failed;
    private final Counter throttled;

    SignInThrottle(Clock clock, MeterRegistry meters) {
        this.clock = clock;
        this.failures = Caffeine.newBuilder().expireAfterWrite(FORGET_AFTER).maximumSize(MOST_ADDRESSES).build();
        this.failed = Counter.builder("consilium.admin.sign.in")
                .description("Admin sign-in attempts, by outcome").tag("outcome", "failed").register(meters);
        this.throttled = Counter.builder("consilium.admin.sign.in")
                .description("Admin sign-in attempts, by outcome").tag("outcome", "throttled").register(meters);
    }

    /** How long the address must still wait before its next attempt is looked at; empty when it may try now. */
    public Optional<Duration> waitBeforeAttempt(String address) {
        Failures recorded = failures.getIfPresent(address);
        if (recorded == null) {
            return Optional.empty();
        }
        Duration wait = Duration.between(clock.instant(), recorded.nextAttemptAt());
        if (wait.isNegative() || wait.isZero()) {
            return Optional.empty();
        }
        throttled.increment();
        return Optional.of(wait);
    }

    public void failed(String address) {
        failed.increment();
        failures.asMap().compute(address, (ignored, before) -> {
            int count = before == null ? 1 : before.count() + 1;
            return new Failures(count, clock.instant().plus(waitAfter(count)));
        });
    }

    public void succeeded(String address) {
        failures.invalidate(address);
    }

    static Duration waitAfter(int failures) {
        if (failures <= 1) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - 2, 20);
        Duration wait = Duration.ofMillis(FIRST_WAIT_MILLIS << doublings);
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }

    private record Failures(int count, Instant nextAttemptAt) {}
}
