package io.consilium.router.budgets;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Optional;

/**
 * The calendar period a budget covers, in UTC: a day from midnight to midnight, a month from its first day.
 * Calendar periods rather than rolling windows, so that a spent budget has one moment when it comes back and
 * every replica agrees on which period a charge belongs to.
 */
public enum BudgetPeriod {
    DAY("day", "today"),
    MONTH("month", "this month");

    private final String id;
    private final String current;

    BudgetPeriod(String id, String current) {
        this.id = id;
        this.current = current;
    }

    /** The name used by the admin API: {@code day} or {@code month}. */
    public String id() {
        return id;
    }

    /** The current period in words: "today", "this month". */
    public String current() {
        return current;
    }

    /** When the period holding {@code now} began. */
    public Instant start(Instant now) {
        return first(now).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** When the period holding {@code now} ends, and its budget is whole again. */
    public Instant end(Instant now) {
        LocalDate first = first(now);
        return (this == DAY ? first.plusDays(1) : first.plusMonths(1)).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** The period holding {@code now}, as a short name ({@code 2027-01-31}, {@code 2027-01}) for the ledger. */
    String label(Instant now) {
        String first = first(now).toString();
        return this == DAY ? first : first.substring(0, "yyyy-MM".length());
    }

    public static Optional<BudgetPeriod> fromId(String id) {
        return Arrays.stream(values()).filter(period -> period.id.equals(id)).findFirst();
    }

    /** The first day of the period holding {@code now}. */
    private LocalDate first(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return this == DAY ? day : day.with(TemporalAdjusters.firstDayOfMonth());
    }
}
