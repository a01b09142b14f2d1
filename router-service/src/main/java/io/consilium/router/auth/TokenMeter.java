package io.consilium.router.auth;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the tokens the current request used, so its key can be charged when it ends. The
 * authentication filter binds one per request; the chat code adds what each answer reports.
 */
public final class TokenMeter {

    static final ScopedValue<TokenMeter> CURRENT = ScopedValue.newInstance();

    private final AtomicLong tokens = new AtomicLong();

    /** Adds tokens to the current request's count; does nothing outside a metered request. */
    public static void add(long used) {
        if (CURRENT.isBound()) {
            CURRENT.get().tokens.addAndGet(used);
        }
    }

    long tokens() {
        return tokens.get();
    }
}
