package io.consilium.router.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The cache's meters: {@code consilium.cache.requests} by outcome (hit_exact, hit_semantic, miss, bypass) and
 * {@code consilium.cache.saved.cost} in US dollars, what the served answers cost when they were made.
 */
final class CacheMetrics {

    private final Map<CacheOutcome, Counter> requests = new EnumMap<>(CacheOutcome.class);
    private final Counter savedCost;

    CacheMetrics(MeterRegistry registry) {
        for (CacheOutcome outcome : CacheOutcome.values()) {
            requests.put(outcome, Counter.builder("consilium.cache.requests")
                    .description("Chat requests by what the answer cache did for them")
                    .tag("outcome", outcome.tag())
                    .register(registry));
        }
        this.savedCost = Counter.builder("consilium.cache.saved.cost")
                .description("What the answers served from the cache cost when they were made")
                .baseUnit("usd")
                .register(registry);
    }

    void count(CacheOutcome outcome) {
        requests.get(outcome).increment();
    }

    void saved(double costUsd) {
        savedCost.increment(costUsd);
    }
}
