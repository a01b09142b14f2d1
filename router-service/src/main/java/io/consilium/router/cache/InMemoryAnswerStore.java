package io.consilium.router.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * {@link AnswerStore} in this process: one Caffeine entry per partition holding its answers, newest first. The
 * cache weighs a partition by its answers, so {@code maxEntries} bounds answers, not partitions; a partition
 * expires {@code ttl} after its last answer was stored, and each answer is served for {@code ttl} only.
 */
final class InMemoryAnswerStore implements AnswerStore {

    private final Cache<String, Partition> partitions;
    private final int maxPerPartition;
    private final LongSupplier clock;

    InMemoryAnswerStore(long maxEntries, int maxPerPartition, Duration ttl, LongSupplier clock) {
        this.partitions = Caffeine.newBuilder()
                .maximumWeight(maxEntries)
                .weigher((String key, Partition partition) -> partition.entries().size())
                .expireAfterWrite(ttl)
                .build();
        this.maxPerPartition = maxPerPartition;
        this.clock = clock;
    }

    /** The answers of one partition, newest first; replaced whole on every change, so readers need no lock. */
    private record Partition(String owner, List<CachedAnswer> entries) {}

    @Override
    public Optional<CacheHit> exact(CacheKey key) {
        Partition partition = partitions.getIfPresent(key.partition());
        return partition == null ? Optional.empty() : PartitionScan.exact(partition.entries(), key.exact(), clock.getAsLong());
    }

    @Override
    public Optional<CacheHit> similar(CacheKey key, float[] embedding, double threshold) {
        Partition partition = partitions.getIfPresent(key.partition());
        return partition == null ? Optional.empty()
                : PartitionScan.similar(partition.entries(), embedding, threshold, clock.getAsLong());
    }

    @Override
    public void put(CacheKey key, CachedAnswer answer) {
        long now = clock.getAsLong();
        partitions.asMap().compute(key.partition(), (ignored, current) -> {
            List<CachedAnswer> entries = new ArrayList<>(maxPerPartition);
            entries.add(answer);
            if (current != null) {
                for (CachedAnswer entry : current.entries()) {
                    if (entries.size() < maxPerPartition && !entry.expiredAt(now)
                            && !entry.exactKey().equals(answer.exactKey())) {
                        entries.add(entry);
                    }
                }
            }
            return new Partition(key.owner(), List.copyOf(entries));
        });
    }

    @Override
    public long purge(@Nullable String owner) {
        long before = partitions.estimatedSize();
        if (owner == null) {
            partitions.invalidateAll();
            partitions.cleanUp();
            return before;
        }
        long[] dropped = {0};
        partitions.asMap().entrySet().removeIf(entry -> {
            boolean drop = entry.getValue().owner().equals(owner);
            if (drop) {
                dropped[0]++;
            }
            return drop;
        });
        return dropped[0];
    }
}
