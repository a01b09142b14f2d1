package io.consilium.registry.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Interrupts the calling thread when a deadline passes, so that a call that stops on interrupt can run on the
 * caller's own thread instead of being handed to another one only to be waited for. Stopped once the call ends;
 * an interrupt it caused is cleared then, so the caller's thread is not left interrupted by it.
 */
final class DeadlineInterrupt {

    private final Thread caller;
    private final ScheduledFuture<?> alarm;
    private boolean finished;
    private boolean fired;

    private DeadlineInterrupt(Duration timeout, ScheduledExecutorService timers) {
        this.caller = Thread.currentThread();
        this.alarm = timers.schedule(this::fire, Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** Starts watching the calling thread. */
    static DeadlineInterrupt after(Duration timeout, ScheduledExecutorService timers) {
        return new DeadlineInterrupt(timeout, timers);
    }

    private synchronized void fire() {
        if (!finished) {
            fired = true;
            caller.interrupt();
        }
    }

    /** Ends the watch from the calling thread; returns whether the deadline had passed (its interrupt is cleared). */
    synchronized boolean stop() {
        finished = true;
        alarm.cancel(false);
        if (fired) {
            Thread.interrupted();
        }
        return fired;
    }
}
