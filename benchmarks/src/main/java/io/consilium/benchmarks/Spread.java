package io.consilium.benchmarks;

import java.util.List;
import java.util.Locale;

/** The lowest and highest of repeated measurements, written as a range. */
record Spread(double min, double max) {

    static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a spread needs at least one value, but got none");
        }
        return new Spread(values.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                values.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    }

    /** Both ends in {@code format}, such as {@code "%,.0f"}; one value when they print the same. */
    String format(String format) {
        String low = String.format(Locale.ROOT, format, min);
        String high = String.format(Locale.ROOT, format, max);
        return low.equals(high) ? low : low + "–" + high;
    }
}
