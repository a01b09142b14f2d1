package io.consilium.router.cache;

import java.util.Optional;

/**
 * Where cached answers are kept, by partition: in this process or in Redis. Both keep at most a bounded number of
 * answers per partition, newest first, each until it expires, so a semantic look-up scans a bounded list.
 */
public interface AnswerStore {

    /** The live answer stored for exactly this question, if any. */
    Optional<CacheHit> exact(CacheKey key);

    /** The live answer whose question is most similar to the embedding, if it is at least {@code threshold}. */
    Optional<CacheHit> similar(CacheKey key, float[] embedding, double threshold);

    void put(CacheKey key, CachedAnswer answer);

    /**
     * Drops cached answers.
     *
     * @param owner only this owner's answers ({@code key:<id>}, {@code admin} or {@code anonymous}); null for all
     * @return how many partitions were dropped
     */
    long purge(@org.jspecify.annotations.Nullable String owner);
}
