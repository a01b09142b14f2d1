package io.consilium.profiler;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a profiling job measures.
 *
 * @param items the validation items
 * @param expertIds experts to profile; empty means every enabled expert with the expert role
 * @param aggregatorIds aggregators to score; empty means every enabled aggregator-capable expert
 * @param concurrency calls in flight per expert
 * @param reset whether the profiles start afresh instead of accumulating
 * @param aggregatorSamples items used to score each aggregator
 * @param judgeId the expert that grades {@code judge} items; null picks an enabled judge-role expert
 */
public record ProfilingRequest(List<ProfilingItem> items, List<String> expertIds, List<String> aggregatorIds,
        int concurrency, boolean reset, int aggregatorSamples, @Nullable String judgeId) {

    public static final int MAX_CONCURRENCY = 64;
    public static final int MAX_ITEMS = 10_000;

    public ProfilingRequest {
        items = List.copyOf(items);
        expertIds = List.copyOf(expertIds);
        aggregatorIds = List.copyOf(aggregatorIds);
        if (items.isEmpty() || items.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("items must hold 1 to " + MAX_ITEMS + " items, but held " + items.size());
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("concurrency must be between 1 and " + MAX_CONCURRENCY
                    + ", but was " + concurrency);
        }
        if (aggregatorSamples < 0) {
            throw new IllegalArgumentException("aggregator_samples must not be negative, but was " + aggregatorSamples);
        }
        long distinct = items.stream().map(ProfilingItem::id).distinct().count();
        if (distinct != items.size()) {
            throw new IllegalArgumentException("item ids must be unique, but " + (items.size() - distinct) + " repeat");
        }
    }
}
