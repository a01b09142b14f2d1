package io.consilium.router.budgets;

import io.consilium.router.api.ApiException;
import io.consilium.router.state.StateUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Holds API keys to their budgets. A request is admitted while its key has spent less than its budget in the
 * current period; it then runs to its end whatever it costs, and what every call it caused reported is
 * charged once it ends. So the request that crosses the budget completes, and the ones after it are refused
 * until the period ends. Requests admitted at the same moment may together go past the budget by what they
 * cost; nothing is reserved ahead, since what a request will cost is known only once its experts answered.
 *
 * <p>Only keys with a budget are counted, so a key without one costs nothing here. What a key spends is
 * added to both its day and its month, whichever its budget covers, so that changing the period keeps
 * what was already spent. When the ledger cannot be reached the configured policy decides, as for rate
 * limits: admit (and count the request) or refuse.
 */
public final class Budgets {

    private static final Logger log = LoggerFactory.getLogger(Budgets.class);
    /** Kept past its period's end, so a replica whose clock runs a little behind still finds the entry. */
    private static final Duration KEPT_AFTER_PERIOD = Duration.ofDays(1);

    private final SpendLedger ledger;
    private final Clock clock;
    private final boolean failOpen;
    private final MeterRegistry meters;
    private final Counter refused;
    private final Counter unchecked;

    Budgets(SpendLedger ledger, Clock clock, boolean failOpen, MeterRegistry meters) {
        this.ledger = ledger;
        this.clock = clock;
        this.failOpen = failOpen;
        this.meters = meters;
        this.refused = Counter.builder("consilium.budget.refused")
                .description("Requests refused with a 429 because their key had spent its budget")
                .register(meters);
        this.unchecked = Counter.builder("consilium.budget.unavailable")
                .description("Requests let through unchecked because the spending ledger was unreachable")
                .register(meters);
    }

    /** Throws a 429 (with Retry-After until the period ends) when the account has spent its budget. */
    public void admit(String account, Budget budget) {
        if (!budget.limits()) {
            return;
        }
        Instant now = clock.instant();
        long spent;
        try {
            spent = ledger.spent(entry(account, budget.period(), now));
        } catch (StateUnavailableException e) {
            unreachable();
            return;
        }
        if (spent >= budget.nanoUsd()) {
            refused.increment();
            Instant resets = budget.period().end(now);
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "insufficient_quota", "budget_exceeded", null,
                    "This API key has spent its budget of " + usd(budget.nanoUsd()) + " " + budget.period().current()
                            + " (" + usd(spent) + " spent); it is available again at " + resets + ".",
                    secondsUntil(now, resets));
        }
    }

    /** Charges what a finished request cost to the account, when it has a budget. */
    public void charge(String account, Budget budget, long nanoUsd) {
        if (!budget.limits() || nanoUsd <= 0) {
            return;
        }
        Instant now = clock.instant();
        try {
            ledger.add(List.of(entry(account, BudgetPeriod.DAY, now), entry(account, BudgetPeriod.MONTH, now)),
                    List.of(BudgetPeriod.DAY.end(now).plus(KEPT_AFTER_PERIOD), BudgetPeriod.MONTH.end(now).plus(KEPT_AFTER_PERIOD)),
                    nanoUsd);
        } catch (StateUnavailableException e) {
            log.debug("Could not charge {} to key {}: {}", usd(nanoUsd), account, e.getMessage());
            return;
        }
        // Tagged by key id (never the key): one series per key with a budget, which the admin creates.
        Counter.builder("consilium.budget.spent").description("US dollars spent by API keys that have a budget")
                .baseUnit("usd").tag("key", account).register(meters).increment(Spend.toUsd(nanoUsd));
    }

    /** What the account spent in its budget's current period, and when that period ends. */
    public Standing standing(String account, Budget budget) {
        Instant now = clock.instant();
        return new Standing(Spend.toUsd(ledger.spent(entry(account, budget.period(), now))), budget.period().end(now));
    }

    /**
     * @param spentUsd spent in the current period, counted only while the key has a budget
     * @param resetsAt when the current period ends
     */
    public record Standing(double spentUsd, Instant resetsAt) {}

    private static String entry(String account, BudgetPeriod period, Instant now) {
        return account + ":" + period.id() + ":" + period.label(now);
    }

    private static Duration secondsUntil(Instant now, Instant then) {
        long millis = Duration.between(now, then).toMillis();
        return Duration.ofSeconds(Math.max(1, (millis + 999) / 1000));
    }

    private static String usd(long nanoUsd) {
        return String.format(Locale.ROOT, "$%.4f", Spend.toUsd(nanoUsd));
    }

    private void unreachable() {
        if (failOpen) {
            unchecked.increment();
            return;
        }
        throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable_error", "budget_unavailable", null,
                "Budgets cannot be checked right now (shared state unreachable); retry shortly.", Duration.ofSeconds(1));
    }
}
