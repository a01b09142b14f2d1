package io.consilium.router.cache;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code consilium.cache.*}: whether answers are cached, how alike two questions must be, and how long and how
 * many answers are kept.
 *
 * @param mode {@code off} (the default), {@code exact} or {@code semantic}
 * @param store {@code memory} or {@code redis}; unset, the cache follows {@code consilium.store}
 * @param similarityThreshold the least cosine similarity between two questions' embeddings for one's answer to
 *     serve the other, above 0 and at most 1
 * @param ttl how long an answer is served after it was made
 * @param maxEntries the most answers the memory store keeps; Caffeine evicts the partitions least likely to be used again
 * @param maxPerPartition the most answers kept for one partition (same key, model, options, tools, conversation
 *     before the question…); the oldest go first. Bounds the scan a semantic look-up makes.
 * @param semanticMaxChars the longest question matched by meaning; the classifier reads only the first tokens of
 *     a longer one, so two different long questions could look alike. Longer ones are matched exactly only.
 */
@ConfigurationProperties("consilium.cache")
public record CacheProperties(
        @DefaultValue("off") String mode,
        @Nullable String store,
        @DefaultValue("0.9") double similarityThreshold,
        @DefaultValue("1h") Duration ttl,
        @DefaultValue("10000") long maxEntries,
        @DefaultValue("32") int maxPerPartition,
        @DefaultValue("300") int semanticMaxChars) {

    public CacheProperties {
        CacheMode.of(mode);
        if (store != null && !store.isBlank() && !store.equals("memory") && !store.equals("redis")) {
            throw new IllegalArgumentException("consilium.cache.store must be memory or redis, but was '" + store + "'");
        }
        if (!(similarityThreshold > 0 && similarityThreshold <= 1)) {
            throw new IllegalArgumentException("consilium.cache.similarity-threshold must be above 0 and at most 1,"
                    + " but was " + similarityThreshold);
        }
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("consilium.cache.ttl must be at least 1ms, but was " + ttl);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("consilium.cache.max-entries must be at least 1, but was " + maxEntries);
        }
        if (maxPerPartition < 1 || maxPerPartition > 1000) {
            throw new IllegalArgumentException("consilium.cache.max-per-partition must be from 1 to 1000, but was "
                    + maxPerPartition);
        }
        if (semanticMaxChars < 1) {
            throw new IllegalArgumentException("consilium.cache.semantic-max-chars must be at least 1, but was "
                    + semanticMaxChars);
        }
    }

    public CacheMode cacheMode() {
        return CacheMode.of(mode);
    }
}
