package io.consilium.router.batchapi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * Stops one run of a batch: for a cancellation, a shutdown, or a lease lost to another runner. Stopping
 * interrupts the calls in flight; a stopped run stores nothing more, so that lines cut short are redone by
 * whoever resumes the batch instead of being recorded as failed.
 */
final class RunControl {

    enum Reason { CANCELLED, SHUTDOWN, LEASE_LOST }

    private final Set<ExecutorService> executors = ConcurrentHashMap.newKeySet();
    private volatile @Nullable Reason reason;

    boolean stopped() {
        return reason != null;
    }

    @Nullable Reason reason() {
        return reason;
    }

    /** Stops the run; the first reason given is the one kept. */
    void stop(Reason why) {
        synchronized (this) {
            if (reason == null) {
                reason = why;
            }
        }
        executors.forEach(ExecutorService::shutdownNow);
    }

    /** A virtual-thread executor that {@link #stop} interrupts; hand it back with {@link #done}. */
    ExecutorService executor() {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        executors.add(executor);
        if (stopped()) {
            executor.shutdownNow();
        }
        return executor;
    }

    void done(ExecutorService executor) {
        executors.remove(executor);
        executor.shutdownNow();
    }
}
