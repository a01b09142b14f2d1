package io.consilium.router.cache;

/**
 * A cached answer found for a request.
 *
 * @param similarity the cosine similarity of the two questions' embeddings; 1 for an exact hit
 */
public record CacheHit(CachedAnswer answer, Kind kind, double similarity) {

    /** How the answer was found. */
    public enum Kind {
        EXACT("exact"), SEMANTIC("semantic");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }
}
