package io.consilium.router.cache;

import java.util.Locale;

/** How much the answer cache does. */
public enum CacheMode {
    /** Nothing is looked up or stored; requests pay nothing for the cache. */
    OFF,
    /** A request is answered from the cache only when it repeats a cached request exactly. */
    EXACT,
    /**
     * Exact matches for every model; for the virtual models also a question that means the same, judged by the
     * embedding the classifier computes for them anyway. Direct calls to an expert stay exact-only, so they never
     * pay for an embedding.
     */
    SEMANTIC;

    static CacheMode of(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("consilium.cache.mode must be off, exact or semantic, but was '"
                    + value + "'");
        }
    }
}
