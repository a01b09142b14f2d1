package io.consilium.router.cache;

import io.consilium.router.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What the cache needs to know of the HTTP exchange a chat request came in: whose answers it may see, whether the
 * client's {@code Cache-Control} refuses a cached answer ({@code no-cache}) or the storing of this one
 * ({@code no-store}), and where the {@code x-consilium-cache} header goes.
 */
public final class CacheScope {

    /** The response header saying what the cache did: hit-exact, hit-semantic, miss or bypass. */
    public static final String HEADER = "x-consilium-cache";
    /** For answers made outside an HTTP exchange: nothing is looked up or stored. */
    public static final CacheScope NONE = new CacheScope("", true, true, null);

    private final String owner;
    private final boolean noLookup;
    private final boolean noStore;
    private final @Nullable HttpServletResponse response;

    private CacheScope(String owner, boolean noLookup, boolean noStore, @Nullable HttpServletResponse response) {
        this.owner = owner;
        this.noLookup = noLookup;
        this.noStore = noStore;
        this.response = response;
    }

    public static CacheScope of(HttpServletRequest request, HttpServletResponse response) {
        String cacheControl = String.join(",", java.util.Collections.list(request.getHeaders("Cache-Control")))
                .toLowerCase(Locale.ROOT);
        boolean noStore = cacheControl.contains("no-store");
        return new CacheScope(Caller.of(request).owner(), noStore || cacheControl.contains("no-cache"), noStore,
                response);
    }

    String owner() {
        return owner;
    }

    boolean noLookup() {
        return noLookup;
    }

    boolean noStore() {
        return noStore;
    }

    /** Tells the client what the cache did; set before the answer is written, so streams carry it too. */
    void report(CacheOutcome outcome) {
        if (response != null && !response.isCommitted()) {
            response.setHeader(HEADER, outcome.header());
        }
    }
}
