package io.consilium.router.budgets;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Spending of a single process (store {@code memory}); gone on restart. */
final class InMemorySpendLedger implements SpendLedger {

    /** Longer than any period, so an entry outlives the period it counts; a later write starts the wait again. */
    private static final Duration KEPT = Duration.ofDays(33);

    private final Cache<String, Long> entries = Caffeine.newBuilder().expireAfterWrite(KEPT).build();

    @Override
    public long spent(String entry) {
        Long spent = entries.getIfPresent(entry);
        return spent == null ? 0 : spent;
    }

    @Override
    public void add(List<String> entries, List<Instant> forgetAfter, long nanoUsd) {
        for (String entry : entries) {
            this.entries.asMap().merge(entry, nanoUsd, Long::sum);
        }
    }
}
