package io.consilium.router.batchapi;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    /**
     * Waits for the tasks of a phase. An interrupt stops the run (the service is shutting down); a task
     * cancelled before it started is no failure, one that threw is.
     */
    void awaitAll(List<Future<?>> running) {
        for (Future<?> task : running) {
            try {
                task.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("planning a batch line failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(Reason.SHUTDOWN);
                return;
            } catch (CancellationException e) {
                // stopped before it started
            }
        }
    }
}
