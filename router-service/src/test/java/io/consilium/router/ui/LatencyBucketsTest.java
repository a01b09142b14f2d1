package io.consilium.router.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

    /** Cumulative counts for calls spread over the buckets as given (one count per bound, in order). */
    private static long[] cumulative(long... perBucket) {
        long[] counts = new long[LatencyBuckets.BOUNDS.size()];
        long running = 0;
        for (int i = 0; i < counts.length; i++) {
            running += i < perBucket.length ? perBucket[i] : 0;
            counts[i] = running;
        }
        return counts;
    }

    @Test
    void should_interpolate_the_quantile_within_its_bucket() {
        // given: 10 calls under 100 ms, all between 50 and 100 ms
        long[] counts = cumulative(0, 0, 0, 0, 10);

        // when
        Duration p50 = LatencyBuckets.quantile(counts, 10, 0.5);

        // then
        assertThat(p50).isEqualTo(Duration.ofMillis(75));
    }

    @Test
    void should_find_the_tail_in_a_slower_bucket() {
        // given: 95 fast calls (5-10 ms) and 5 slow ones (1-2.5 s)
        long[] counts = cumulative(0, 95, 0, 0, 0, 0, 0, 0, 5);

        // when
        Duration p50 = LatencyBuckets.quantile(counts, 100, 0.5);
        Duration p99 = LatencyBuckets.quantile(counts, 100, 0.99);

        // then
        assertThat(p50).isBetween(Duration.ofMillis(5), Duration.ofMillis(10));
        assertThat(p99).isBetween(Duration.ofSeconds(1), Duration.ofMillis(2500));
    }

    @Test
    void should_know_nothing_without_calls_or_beyond_the_largest_bound() {
        assertThat(LatencyBuckets.quantile(cumulative(), 0, 0.5)).isNull();
        assertThat(LatencyBuckets.quantile(cumulative(), 4, 0.5)).as("all four slower than 60 s").isNull();
    }
}
