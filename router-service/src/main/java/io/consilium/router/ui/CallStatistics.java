package io.consilium.router.ui;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.ExpertCallMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Recent traffic, read from the service's own meters. Micrometer's counts only grow, so a reading is
 * taken every half minute and the last few are kept: the difference between now and the oldest kept
 * reading is what happened in the last {@link #WINDOW} (or since start, early on).
 */
@Component
final class CallStatistics implements AutoCloseable {

    static final Duration WINDOW = Duration.ofMinutes(5);
    private static final Duration TICK = Duration.ofSeconds(30);
    private static final String CHAT_URI = "/v1/chat/completions";

    private final MeterRegistry meters;
    private final Clock clock;
    private final Deque<Reading> readings = new ArrayDeque<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("admin-ui-call-statistics").daemon(true).factory());

    CallStatistics(MeterRegistry meters) {
        this.meters = meters;
        this.clock = Clock.systemUTC();
        readings.add(read());
        ticker.scheduleAtFixedRate(this::keepReading, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What happened since the oldest kept reading, at most {@link #WINDOW} ago. */
    Reading recent() {
        Reading now = read();
        Reading base;
        synchronized (readings) {
            base = readings.peekFirst();
        }
        return base == null ? now : now.since(base);
    }

    /** Everything since the service started. */
    Reading sinceStart() {
        return read();
    }

    private void keepReading() {
        Reading reading = read();
        synchronized (readings) {
            readings.addLast(reading);
            while (readings.size() > 1 && readings.peekFirst().at().isBefore(reading.at().minus(WINDOW))) {
                readings.removeFirst();
            }
        }
    }

    private Reading read() {
        Map<String, ExpertTally> experts = new HashMap<>();
        for (Timer timer : meters.find(LatencyBuckets.EXPERT_CALLS).timers()) {
            String expert = timer.getId().getTag(ExpertCallMeters.EXPERT);
            String outcome = timer.getId().getTag(ExpertCallMeters.OUTCOME);
            if (expert == null || outcome == null) {
                continue;
            }
            experts.merge(expert, ExpertTally.of(outcome, timer.count(),
                    LatencyBuckets.cumulativeCounts(timer.takeSnapshot().histogramCounts())), ExpertTally::plus);
        }
        for (Counter cost : meters.find(ExpertCallMeters.COST).counters()) {
            String expert = cost.getId().getTag(ExpertCallMeters.EXPERT);
            if (expert != null) {
                experts.merge(expert, ExpertTally.NONE.withCost(cost.count()), ExpertTally::plus);
            }
        }
        long requests = 0;
        long refused = 0;
        long failed = 0;
        for (Timer timer : meters.find("http.server.requests").tag("uri", CHAT_URI).timers()) {
            String status = String.valueOf(timer.getId().getTag("status"));
            requests += timer.count();
            if (status.startsWith("4")) {
                refused += timer.count();
            } else if (status.startsWith("5")) {
                failed += timer.count();
            }
        }
        return new Reading(clock.instant(), Instant.EPOCH, experts, new ChatTally(requests, refused, failed));
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    /**
     * Counts between {@code from} (the epoch for "since start") and {@code at}.
     *
     * @param experts calls per expert id
     * @param chat requests to {@code /v1/chat/completions}
     */
    record Reading(Instant at, Instant from, Map<String, ExpertTally> experts, ChatTally chat) {

        Reading since(Reading earlier) {
            Map<String, ExpertTally> difference = new HashMap<>();
            experts.forEach((id, tally) -> difference.put(id, tally.minus(earlier.experts().get(id))));
            return new Reading(at, earlier.at(), difference, chat.minus(earlier.chat()));
        }

        ExpertTally expert(String id) {
            return experts.getOrDefault(id, ExpertTally.NONE);
        }

        Duration span() {
            return from.equals(Instant.EPOCH) ? Duration.ZERO : Duration.between(from, at);
        }
    }

    /** Requests to the chat endpoint: all of them, refused ones (4xx) and failed ones (5xx). */
    record ChatTally(long requests, long refused, long failed) {
        ChatTally minus(ChatTally earlier) {
            return new ChatTally(requests - earlier.requests, refused - earlier.refused, failed - earlier.failed);
        }
    }

    /**
     * One expert's calls.
     *
     * @param failures calls that failed at the expert (not those stopped because the client left)
     * @param costUsd what the answered calls cost at the expert's prices
     * @param okBuckets cumulative counts of successful calls per latency bound
     */
    record ExpertTally(long calls, long ok, long failures, long[] okBuckets, double costUsd) {

        static final ExpertTally NONE = new ExpertTally(0, 0, 0, new long[LatencyBuckets.BOUNDS.size()], 0);

        static ExpertTally of(String outcome, long count, long[] buckets) {
            // A tag no outcome has (from an older or newer build) is counted as a failure rather than lost.
            return switch (CallOutcome.fromTag(outcome).orElse(CallOutcome.CLIENT_FAILURE)) {
                case OK -> new ExpertTally(count, count, 0, buckets, 0);
                case CLIENT_GONE -> new ExpertTally(count, 0, 0, NONE.okBuckets, 0);
                case TIMEOUT, RATE_LIMITED, UNAVAILABLE, REJECTED, FORBIDDEN, UPSTREAM_ERROR, CLIENT_FAILURE ->
                        new ExpertTally(count, 0, count, NONE.okBuckets, 0);
            };
        }

        ExpertTally withCost(double usd) {
            return new ExpertTally(calls, ok, failures, okBuckets, usd);
        }

        ExpertTally plus(ExpertTally other) {
            long[] buckets = new long[okBuckets.length];
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = okBuckets[i] + other.okBuckets[i];
            }
            return new ExpertTally(calls + other.calls, ok + other.ok, failures + other.failures, buckets,
                    costUsd + other.costUsd);
        }

        ExpertTally minus(@Nullable ExpertTally earlier) {
            if (earlier == null) {
                return this;
            }
            long[] buckets = new long[okBuckets.length];
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = okBuckets[i] - earlier.okBuckets[i];
            }
            return new ExpertTally(calls - earlier.calls, ok - earlier.ok, failures - earlier.failures, buckets,
                    costUsd - earlier.costUsd);
        }

        /** Failures out of the calls that reached an end at the expert; null without any. */
        @Nullable Double errorRate() {
            long decided = ok + failures;
            return decided == 0 ? null : (double) failures / decided;
        }

        @Nullable Duration p50() {
            return LatencyBuckets.quantile(okBuckets, ok, 0.5);
        }

        @Nullable Duration p95() {
            return LatencyBuckets.quantile(okBuckets, ok, 0.95);
        }
    }
}
