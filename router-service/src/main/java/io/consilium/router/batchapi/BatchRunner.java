package io.consilium.router.batchapi;

import io.consilium.router.state.StateUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Runs batches in the background on virtual threads, a few at a time. A batch runs where its lease is held:
 * the runner renews the leases of its batches every tick and stops a run whose lease went to someone else.
 * Once the service is ready, and then every few ticks, it looks for unfinished batches that nobody holds
 * (left by a restart or a replica that died) and resumes them. A cancellation asked for on any replica
 * reaches the run within a tick; one asked for here stops it at once.
 */
final class BatchRunner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);

    private final BatchStore store;
    private final JobFactory jobs;
    private final Settings settings;
    private final String runnerId = "runner-" + UUID.randomUUID();
    private final Semaphore slots;
    private final Map<String, RunControl> running = new ConcurrentHashMap<>();
    private final Map<String, Thread> threads = new ConcurrentHashMap<>();
    /** The runs here that hold their batch's lease; guarded by the lease itself, renewed every tick. */
    private final Map<String, RunControl> leased = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile @Nullable ScheduledExecutorService ticker;
    /** Ticks so far; touched only by the ticker's one thread. */
    private long ticks;

    BatchRunner(BatchStore store, JobFactory jobs, Settings settings) {
        this.store = store;
        this.jobs = jobs;
        this.settings = settings;
        this.slots = new Semaphore(settings.maxRunning());
    }

    /** Makes the run of one batch. */
    @FunctionalInterface
    interface JobFactory {
        BatchJob job(String batchId, RunControl control);
    }

    /**
     * @param maxRunning batches run at once; others wait for a slot
     * @param lease how long a lease lasts without renewal: how soon a batch left by a dead replica is resumed
     * @param tick how often leases are renewed and cancellations looked for
     * @param scanEvery every how many ticks unfinished batches are looked for
     */
    record Settings(int maxRunning, Duration lease, Duration tick, int scanEvery) {}

    @EventListener(ApplicationReadyEvent.class)
    void resumeWhenReady() {
        if (!closed && ticker == null) {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("batch-runner").factory());
            ticker = scheduler;
            scheduler.scheduleWithFixedDelay(this::tick, 0, settings.tick().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Starts a batch here unless it already runs here; it only runs if its lease can be taken. */
    void start(String batchId) {
        if (closed) {
            return;
        }
        RunControl control = new RunControl();
        if (running.putIfAbsent(batchId, control) != null) {
            return;
        }
        Thread thread = Thread.ofVirtual().name("batch-" + batchId).unstarted(() -> run(batchId, control));
        threads.put(batchId, thread);
        thread.start();
    }

    /** Stops the batch's run here, if it runs here; elsewhere, its runner sees the request within a tick. */
    void cancel(String batchId) {
        RunControl control = running.get(batchId);
        if (control != null) {
            control.stop(RunControl.Reason.CANCELLED);
        }
    }

    private void run(String batchId, RunControl control) {
        try {
            if (!takeSlot(control)) {
                return;
            }
            try {
                if (store.claim(batchId, runnerId, settings.lease())) {
                    leased.put(batchId, control);
                    try {
                        jobs.job(batchId, control).run();
                    } finally {
                        leased.remove(batchId, control);
                        if (control.reason() != RunControl.Reason.LEASE_LOST) {
                            store.release(batchId, runnerId);
                        }
                    }
                }
            } finally {
                slots.release();
            }
        } catch (StateUnavailableException e) {
            // Its lease lapses and a later scan resumes it.
            log.warn("Batch {} paused: {}", batchId, e.getMessage());
        } catch (RuntimeException e) {
            log.error("Batch {} failed unexpectedly", batchId, e);
            if (control.reason() != RunControl.Reason.LEASE_LOST) {
                failQuietly(batchId);
            }
        } finally {
            threads.remove(batchId, Thread.currentThread());
            running.remove(batchId, control);
        }
    }

    /** Waits for a run slot; gives up when the run is stopped for a shutdown in the meantime. */
    private boolean takeSlot(RunControl control) {
        try {
            while (!slots.tryAcquire(settings.tick().toMillis(), TimeUnit.MILLISECONDS)) {
                if (control.reason() == RunControl.Reason.SHUTDOWN) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void failQuietly(String batchId) {
        try {
            store.find(batchId).filter(batch -> !batch.status().isFinal()).ifPresent(batch -> store.save(batch.failed(
                    Clock.systemUTC().instant().getEpochSecond(), List.of(new BatchRecord.LineError(
                            "internal_error", "The batch failed on the server.", null, null)))));
        } catch (RuntimeException ignored) {
            // Already logged; a batch left unfinished is resumed by a later scan.
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        try {
            renewAndWatch();
            if (ticks++ % settings.scanEvery() == 0) {
                store.unfinished().forEach(this::start);
            }
        } catch (StateUnavailableException e) {
            log.debug("Batch runner tick skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
            // Caught so that one failed tick does not cancel the schedule.
            log.warn("Batch runner tick failed", e);
        }
    }

    /** Renews the leases of the batches running here, and passes on cancellations asked for elsewhere. */
    private void renewAndWatch() {
        running.forEach((batchId, control) -> {
            if (!control.stopped() && store.cancelRequested(batchId).isPresent()) {
                control.stop(RunControl.Reason.CANCELLED);
            }
        });
        leased.forEach((batchId, control) -> {
            if (!store.claim(batchId, runnerId, settings.lease())) {
                control.stop(RunControl.Reason.LEASE_LOST);
            }
        });
    }

    /** Stops every run (their lines are left to be resumed), gives the leases back and waits a little. */
    @Override
    public void destroy() {
        closed = true;
        long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        ScheduledExecutorService scheduler = ticker;
        if (scheduler != null) {
            // Stopped first, so that no renewal takes a lease back after its run gave it up.
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running.values().forEach(control -> control.stop(RunControl.Reason.SHUTDOWN));
        for (Thread thread : threads.values()) {
            try {
                thread.join(Duration.ofNanos(Math.max(1, giveUp - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
