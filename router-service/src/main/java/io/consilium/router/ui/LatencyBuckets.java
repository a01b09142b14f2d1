package io.consilium.router.ui;

import io.consilium.registry.ExpertCallMeters;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Fixed latency buckets on the expert call timer. Bucket counts, unlike client-side percentiles, add up
 * across timers (one per expert, mode and outcome) and subtract between two readings, so the overview can
 * estimate an expert's p50 and p95 over the last minutes; Prometheus gets the same buckets for
 * {@code histogram_quantile}.
 */
final class LatencyBuckets {

    static final String EXPERT_CALLS = ExpertCallMeters.CALLS;

    static final List<Duration> BOUNDS = List.of(
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60));

    private LatencyBuckets() {}

    static MeterFilter meterFilter() {
        double[] nanos = BOUNDS.stream().mapToDouble(Duration::toNanos).toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!EXPERT_CALLS.equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }

    /** Counts of calls at or under each bound, in the order of {@link #BOUNDS}, read from a timer's snapshot. */
    static long[] cumulativeCounts(CountAtBucket[] buckets) {
        long[] counts = new long[BOUNDS.size()];
        for (CountAtBucket bucket : buckets) {
            int index = BOUNDS.indexOf(Duration.ofNanos(Math.round(bucket.bucket(TimeUnit.NANOSECONDS))));
            if (index >= 0) {
                counts[index] = (long) bucket.count();
            }
        }
        return counts;
    }

    /**
     * The latency under which the share {@code q} of {@code total} calls finished, interpolated within
     * its bucket; null when there were no calls or the quantile lies beyond the largest bound.
     */
    static @Nullable Duration quantile(long[] cumulative, long total, double q) {
        if (total <= 0) {
            return null;
        }
        double rank = q * total;
        long below = 0;
        long lower = 0;
        for (int i = 0; i < cumulative.length; i++) {
            long upper = BOUNDS.get(i).toNanos();
            if (cumulative[i] >= rank) {
                long inBucket = cumulative[i] - below;
                double fraction = inBucket == 0 ? 1 : (rank - below) / inBucket;
                return Duration.ofNanos(lower + Math.round(fraction * (upper - lower)));
            }
            below = cumulative[i];
            lower = upper;
        }
        return null;
    }
}
