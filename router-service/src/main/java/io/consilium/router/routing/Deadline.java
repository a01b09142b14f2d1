package io.consilium.router.routing;

import java.time.Duration;

/** One deadline for a whole request, experts and aggregator included. */
public final class Deadline {

    private final long startedNanos;
    private final long deadlineNanos;

    private Deadline(long startedNanos, Duration budget) {
        this.startedNanos = startedNanos;
        this.deadlineNanos = startedNanos + budget.toNanos();
    }

    public static Deadline in(Duration budget) {
        return new Deadline(System.nanoTime(), budget);
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
