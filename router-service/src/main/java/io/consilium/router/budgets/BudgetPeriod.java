package io.consilium.router.budgets;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

/**
 * The calendar period a budget covers, in UTC: a day from midnight to midnight, a month from its first day.
 * Calendar periods rather than rolling windows, so that a spent budget has one moment when it comes back and
 * every replica agrees on which period a charge belongs to.
 */
public enum BudgetPeriod {
    DAY("day") {
        @Override
        public Instant start(Instant now) {
            return day(now).atStartOfDay().toInstant(ZoneOffset.UTC);
        }

        @Override
        public Instant end(Instant now) {
            return day(now).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        }

        @Override
        String label(Instant now) {
            return day(now).toString();
        }

        @Override
        public String current() {
            return "today";
        }
    },
    MONTH("month") {
        @Override
        public Instant start(Instant now) {
            return month(now).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        }

        @Override
        public Instant end(Instant now) {
            return month(now).plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        }

        @Override
        String label(Instant now) {
            return month(now).toString();
        }

        @Override
        public String current() {
            return "this month";
        }
    };

    private final String id;

    BudgetPeriod(String id) {
        this.id = id;
    }

    /** The name used by the admin API: {@code day} or {@code month}. */
    public String id() {
        return id;
    }

    /** When the period holding {@code now} began. */
    public abstract Instant start(Instant now);

    /** When the period holding {@code now} ends, and its budget is whole again. */
    public abstract Instant end(Instant now);

    /** The current period in words: "today", "this month". */
    public abstract String current();

    /** The period holding {@code now}, as a short name ({@code 2027-01-31}, {@code 2027-01}) for the ledger. */
    abstract String label(Instant now);

    public static Optional<BudgetPeriod> fromId(String id) {
        return Arrays.stream(values()).filter(period -> period.id.equals(id)).findFirst();
    }

    private static LocalDate day(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    private static YearMonth month(Instant now) {
        return YearMonth.from(day(now));
    }
}
