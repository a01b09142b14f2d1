package io.consilium.router.cache;

import io.consilium.router.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collections;
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
    public static final CacheScope NONE = new CacheScope(null, null);

    private final @Nullable HttpServletRequest request;
    private final @Nullable HttpServletResponse response;

    private CacheScope(@Nullable HttpServletRequest request, @Nullable HttpServletResponse response) {
        this.request = request;
        this.response = response;
    }

    /** The exchange's scope; nothing is read from it until the cache asks, so a cache that is off costs nothing. */
    public static CacheScope of(HttpServletRequest request, HttpServletResponse response) {
        return new CacheScope(request, response);
    }

    String owner() {
        return request == null ? "" : Caller.of(request).owner();
    }

    /** Whether the client refuses an answer from the cache ({@code no-cache}); see also {@link #noStore()}. */
    boolean noLookup() {
        return request == null || cacheControl().contains("no-cache");
    }

    boolean noStore() {
        return request == null || cacheControl().contains("no-store");
    }

    private String cacheControl() {
        return request == null ? "" : String.join(",", Collections.list(request.getHeaders("Cache-Control")))
                .toLowerCase(Locale.ROOT);
    }

    /** Tells the client what the cache did; set before the answer is written, so streams carry it too. */
    void report(CacheOutcome outcome) {
        if (response != null && !response.isCommitted()) {
            response.setHeader(HEADER, outcome.header());
        }
    }
}
