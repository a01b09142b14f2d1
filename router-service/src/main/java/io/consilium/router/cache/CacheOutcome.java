package io.consilium.router.cache;

/** What the cache did for one request, as the {@code x-consilium-cache} header and the metrics tell it. */
public enum CacheOutcome {
    HIT_EXACT("hit-exact"), HIT_SEMANTIC("hit-semantic"), MISS("miss"), BYPASS("bypass");

    private final String header;

    CacheOutcome(String header) {
        this.header = header;
    }

    /** The value of the {@code x-consilium-cache} header. */
    public String header() {
        return header;
    }

    String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static CacheOutcome of(CacheHit.Kind kind) {
        return kind == CacheHit.Kind.EXACT ? HIT_EXACT : HIT_SEMANTIC;
    }
}
