package io.consilium.router.ui;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Numbers as people read them on the pages: latencies, shares, prices. A dash stands for "nothing measured". */
final class Figures {

    static final String NONE = "–";

    private Figures() {}

    static String latency(@Nullable Duration duration) {
        if (duration == null) {
            return NONE;
        }
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + " ms";
        }
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    static String share(@Nullable Double fraction) {
        if (fraction == null) {
            return NONE;
        }
        double percent = fraction * 100;
        return percent == 0 || percent >= 10 ? String.format(Locale.ROOT, "%.0f %%", percent)
                : String.format(Locale.ROOT, "%.1f %%", percent);
    }

    /** Spending over a span as a rate per hour; a dash until some time has passed. */
    static String dollarsPerHour(double usd, Duration span) {
        if (span.toSeconds() < 1) {
            return NONE;
        }
        double perHour = usd * 3600.0 / span.toSeconds();
        return perHour == 0 ? "$0 / h" : perHour >= 0.01 ? String.format(Locale.ROOT, "$%.2f / h", perHour)
                : String.format(Locale.ROOT, "$%.6f / h", perHour);
    }

    static String score(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String count(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    static String price(double perMillionTokens) {
        return perMillionTokens == 0 ? "free" : String.format(Locale.ROOT, "$%.2f", perMillionTokens);
    }
}
