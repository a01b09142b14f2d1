package io.consilium.router.budgets;

import io.consilium.registry.Expert;
import io.consilium.registry.Usage;

/**
 * Money as the ledger counts it: whole nano-dollars, so that many small charges add up exactly in Redis
 * and in memory. The price of a call is the one rule the {@code consilium} metadata reports,
 * {@link io.consilium.registry.Cost#priceOf}.
 */
public final class Spend {

    private static final double NANOS_PER_USD = 1e9;

    private Spend() {}

    /** What one call cost, in nano-dollars, at the expert's prices. */
    public static long of(Expert expert, Usage usage) {
        return toNanoUsd(expert.cost().priceOf(usage.promptTokens(), usage.completionTokens()));
    }

    static long toNanoUsd(double usd) {
        return Math.round(usd * NANOS_PER_USD);
    }

    static double toUsd(long nanoUsd) {
        return nanoUsd / NANOS_PER_USD;
    }
}
