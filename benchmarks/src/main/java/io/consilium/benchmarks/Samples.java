package io.consilium.benchmarks;

import java.util.Arrays;

/** Measurements of one run, kept as raw values so any percentile can be read afterwards. */
final class Samples {

    private long[] values = new long[4096];
    private int size;

    synchronized void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    synchronized void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    synchronized int size() {
        return size;
    }

    synchronized long percentile(double p) {
        if (size == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return sorted[Math.min(size - 1, (int) (p * size))];
    }

    synchronized double mean() {
        return size == 0 ? 0 : Arrays.stream(values, 0, size).average().orElse(0);
    }
}
