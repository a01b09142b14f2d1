package io.consilium.router.auth;

import io.consilium.registry.Expert;
import io.consilium.registry.Usage;
import io.consilium.router.budgets.Spend;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the tokens the current request used, and what they cost at each expert's prices, so its key can be
 * charged when it ends. The authentication filter binds one per request; the chat and embeddings code adds
 * what each call it made reported (every expert asked, reserves and the aggregator included).
 */
public final class TokenMeter {

    static final ScopedValue<TokenMeter> CURRENT = ScopedValue.newInstance();

    private final AtomicLong tokens = new AtomicLong();
    private final AtomicLong nanoUsd = new AtomicLong();

    /** Adds one call's usage to the current request's count; does nothing outside a metered request. */
    public static void add(Expert expert, Usage used) {
        if (CURRENT.isBound()) {
            TokenMeter meter = CURRENT.get();
            meter.tokens.addAndGet(used.totalTokens());
            meter.nanoUsd.addAndGet(Spend.of(expert, used));
        }
    }

    long tokens() {
        return tokens.get();
    }

    /** What the calls cost, in nano-dollars. */
    long nanoUsd() {
        return nanoUsd.get();
    }
}
