package io.consilium.router.budgets;

import java.util.Objects;

/**
 * What an API key may spend: {@code usd} US dollars per {@code period}; 0 means no budget, and then nothing
 * is counted for the key.
 */
public record Budget(double usd, BudgetPeriod period) {

    /** The most a budget may be: far above any real one, and still exact in nano-dollars. */
    public static final double MAX_USD = 1_000_000_000;
    public static final Budget NONE = new Budget(0, BudgetPeriod.MONTH);

    public Budget {
        if (!(usd >= 0) || usd > MAX_USD) {
            throw new IllegalArgumentException("usd must be from 0 to " + MAX_USD + ", but was " + usd);
        }
        // A key stored before budgets existed has none.
        period = Objects.requireNonNullElse(period, BudgetPeriod.MONTH);
    }

    public boolean limits() {
        return usd > 0;
    }

    long nanoUsd() {
        return Spend.toNanoUsd(usd);
    }
}
