package io.consilium.router.budgets;

import java.time.Instant;
import java.util.List;

/**
 * What each account spent, per period, in nano-dollars. Implementations must add atomically across every
 * process that shares them; an entry may be forgotten once its period is over.
 */
interface SpendLedger {

    /** Nano-dollars spent in the period named {@code entry}; 0 when nothing was. */
    long spent(String entry);

    /** Adds the same amount to each entry; {@code forgetAfter} is when each may be dropped, in order. */
    void add(List<String> entries, List<Instant> forgetAfter, long nanoUsd);
}
