package io.consilium.registry.internal;

import io.consilium.registry.ExpertRateLimitedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Honours an upstream's 429 for its expert alone: while the Retry-After it sent lasts, attempts are
 * refused here as rate limited, before they take a concurrency slot or reach the circuit breaker, so the
 * upstream is not asked again too early and the expert's health is not touched. Other experts go on as
 * before. Upstream 429s and the attempts refused while waiting are counted as
 * {@value #METER}, tagged {@code expert} and {@code source} ({@code upstream} or {@code local}).
 */
final class RetryAfterHold {

    static final String METER = "consilium.expert.rate.limited";

    private final String expertId;
    private final Duration maxWait;
    private final LongSupplier nanoTime;
    private final Counter upstream;
    private final Counter local;
    /** System.nanoTime() until which attempts are refused; at or before now when there is no hold. */
    private final AtomicLong until;

    RetryAfterHold(String expertId, Duration maxWait, MeterRegistry meters, LongSupplier nanoTime) {
        this.expertId = expertId;
        this.maxWait = maxWait;
        this.nanoTime = nanoTime;
        this.until = new AtomicLong(nanoTime.getAsLong());
        this.upstream = counter(meters, expertId, "upstream");
        this.local = counter(meters, expertId, "local");
    }

    /** The attempt, refused while a hold lasts; a 429 it meets starts or extends the hold. */
    <T> Supplier<T> decorate(Supplier<T> attempt) {
        return () -> {
            refuseWhileHeld();
            try {
                return attempt.get();
            } catch (ExpertRateLimitedException limited) {
                record(limited);
                throw limited;
            }
        };
    }

    /** Whether attempts are being refused now. */
    boolean holds() {
        return until.get() - nanoTime.getAsLong() > 0;
    }

    private void refuseWhileHeld() {
        long left = until.get() - nanoTime.getAsLong();
        if (left > 0) {
            local.increment();
            throw new ExpertRateLimitedException(expertId, Duration.ofNanos(left));
        }
    }

    private void record(ExpertRateLimitedException limited) {
        upstream.increment();
        limited.retryAfter().ifPresent(wait -> {
            long end = nanoTime.getAsLong() + (wait.compareTo(maxWait) > 0 ? maxWait : wait).toNanos();
            // Two 429s in flight at once: the later end wins, whichever arrives last.
            until.accumulateAndGet(end, (current, next) -> next - current > 0 ? next : current);
        });
    }

    private static Counter counter(MeterRegistry meters, String expertId, String source) {
        return Counter.builder(METER)
                .description("Upstream 429 answers, and attempts refused while the Retry-After of one lasts")
                .tag("expert", expertId)
                .tag("source", source)
                .register(meters);
    }
}
