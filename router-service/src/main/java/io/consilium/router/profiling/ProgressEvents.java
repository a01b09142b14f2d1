package io.consilium.router.profiling;

import io.consilium.profiler.ProfilingJobStatus;
import io.consilium.profiler.ProfilingJobs;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams a job's progress as server-sent {@code progress} events: one whenever the status changes,
 * checked a few times a second, and a last one when the job ends.
 */
@Component
final class ProgressEvents implements AutoCloseable {

    private static final Duration INTERVAL = Duration.ofMillis(250);
    private static final Duration MAX_FOLLOW = Duration.ofHours(6);

    private final ProfilingJobs jobs;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("profiling-progress").daemon(true).factory());

    ProgressEvents(ProfilingJobs jobs) {
        this.jobs = jobs;
    }

    SseEmitter follow(String jobId) {
        SseEmitter emitter = new SseEmitter(MAX_FOLLOW.toMillis());
        AtomicReference<ProfilingJobStatus> lastSent = new AtomicReference<>();
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        Runnable tick = () -> {
            Optional<ProfilingJobStatus> status = jobs.status(jobId);
            try {
                if (status.isEmpty()) {
                    emitter.complete();
                } else if (!status.get().equals(lastSent.get())) {
                    lastSent.set(status.get());
                    emitter.send(SseEmitter.event().name("progress").data(JobView.of(status.get())));
                    if (status.get().status().isFinal()) {
                        emitter.complete();
                    }
                }
            } catch (IOException | IllegalStateException clientGone) {
                emitter.completeWithError(clientGone);
            }
            if (status.isEmpty() || status.get().status().isFinal()) {
                task.get().cancel(false);
            }
        };
        task.set(ticker.scheduleAtFixedRate(() -> {
            if (task.get() != null) {
                tick.run();
            }
        }, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS));
        emitter.onCompletion(() -> task.get().cancel(false));
        emitter.onTimeout(() -> task.get().cancel(false));
        return emitter;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
