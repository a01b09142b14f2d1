package io.consilium.router.cache;

import java.util.List;
import java.util.Optional;

/** Finds an answer in one partition's entries, newest first, skipping expired ones. Shared by both stores. */
final class PartitionScan {

    private PartitionScan() {}

    static Optional<CacheHit> exact(List<CachedAnswer> entries, String exactKey, long nowMillis) {
        for (CachedAnswer entry : entries) {
            if (!entry.expiredAt(nowMillis) && entry.exactKey().equals(exactKey)) {
                return Optional.of(new CacheHit(entry, CacheHit.Kind.EXACT, 1.0));
            }
        }
        return Optional.empty();
    }

    static Optional<CacheHit> similar(List<CachedAnswer> entries, float[] embedding, double threshold, long nowMillis) {
        CachedAnswer best = null;
        double bestSimilarity = threshold;
        for (CachedAnswer entry : entries) {
            float[] other = entry.embedding();
            if (other == null || other.length != embedding.length || entry.expiredAt(nowMillis)) {
                continue;
            }
            double similarity = cosine(embedding, other);
            if (similarity >= bestSimilarity) {
                best = entry;
                bestSimilarity = similarity;
            }
        }
        return best == null ? Optional.empty()
                : Optional.of(new CacheHit(best, CacheHit.Kind.SEMANTIC, Math.min(1.0, bestSimilarity)));
    }

    /** Cosine similarity; the encoder's embeddings are L2-normalised, but stored ones are not trusted to be. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
    }
}
