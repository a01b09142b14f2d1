package io.consilium.router.batchapi;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertUnavailableException;
import io.consilium.router.calls.ExpertCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a batch's requests grouped by expert. The groups of experts that answer in batches (local models)
 * run one after another, each in chunks of the batch size, so that each model is loaded once for its whole
 * group and two models do not fight over memory; the chunks queue with live traffic, which gets its turn
 * between them. The groups of remote experts run at the same time, each within its expert's concurrency
 * limit, all within the run's limit.
 */
final class ExpertGroups {

    private static final Logger log = LoggerFactory.getLogger(ExpertGroups.class);
    /** Live traffic shares an expert's concurrency limit; a call refused for it waits and tries again. */
    private static final int CAPACITY_ATTEMPTS = 4;
    private static final Duration CAPACITY_BACKOFF = Duration.ofMillis(250);

    private final ExpertCalls calls;
    private final int callsInFlight;

    /**
     * @param callsInFlight the most remote calls one run has in flight at once
     */
    ExpertGroups(ExpertCalls calls, int callsInFlight) {
        this.calls = calls;
        this.callsInFlight = callsInFlight;
    }

    /**
     * Runs every request and hands each finished one to {@code done} (from any thread); returns when all
     * have run, or early once the run is stopped, leaving the rest not run.
     */
    void run(List<Ask> asks, RunControl control, Consumer<Ask> done) {
        Map<String, List<Ask>> byExpert = new LinkedHashMap<>();
        asks.forEach(ask -> byExpert.computeIfAbsent(ask.expert().id(), id -> new ArrayList<>()).add(ask));
        List<List<Ask>> local = new ArrayList<>();
        List<List<Ask>> remote = new ArrayList<>();
        for (List<Ask> group : byExpert.values()) {
            (calls.answersInBatches(group.getFirst().expert()) ? local : remote).add(group);
        }
        ExecutorService pool = control.executor();
        List<Future<?>> running = new ArrayList<>();
        try {
            running.add(pool.submit(() -> local.forEach(group -> runBatched(group, control, done))));
            Semaphore shared = new Semaphore(callsInFlight);
            for (List<Ask> group : remote) {
                Expert expert = group.getFirst().expert();
                Semaphore own = new Semaphore(Math.min(expert.limits().maxConcurrency(), callsInFlight));
                for (Ask ask : group) {
                    running.add(pool.submit(() -> runOne(ask, own, shared, control, done)));
                }
            }
        } catch (RejectedExecutionException stopped) {
            // The run was stopped while its calls were being started.
        }
        for (Future<?> call : running) {
            try {
                call.get();
            } catch (ExecutionException e) {
                log.error("A batch call failed unexpectedly", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                control.stop(RunControl.Reason.SHUTDOWN);
                break;
            } catch (CancellationException e) {
                // stopped before it started
            }
        }
        control.done(pool);
    }

    /** One local expert's group, in chunks of the batch size, each answered in one pass. */
    private void runBatched(List<Ask> group, RunControl control, Consumer<Ask> done) {
        Expert expert = group.getFirst().expert();
        int size = calls.maxBatchSize();
        for (int from = 0; from < group.size(); from += size) {
            if (control.stopped()) {
                return;
            }
            List<Ask> chunk = group.subList(from, Math.min(group.size(), from + size));
            long started = System.nanoTime();
            List<CompletableFuture<ChatCompletion>> answers;
            try {
                answers = calls.submit(expert, chunk.stream().map(Ask::request).toList());
            } catch (IllegalArgumentException noLongerBatched) {
                // Its definition changed under the run; it is now called like any other expert.
                chunk.forEach(ask -> runOne(ask, new Semaphore(1), new Semaphore(1), control, done));
                continue;
            }
            for (int i = 0; i < chunk.size(); i++) {
                Ask ask = chunk.get(i);
                try {
                    ask.answered(answers.get(i).get(), millisSince(started));
                } catch (ExecutionException e) {
                    RuntimeException failure = e.getCause() instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException(e.getCause());
                    ask.failed(failure, CallOutcome.of(failure), millisSince(started));
                } catch (InterruptedException e) {
                    answers.forEach(answer -> answer.cancel(false));
                    return;
                }
            }
            if (control.stopped()) {
                return;
            }
            chunk.forEach(done);
        }
    }

    private void runOne(Ask ask, Semaphore own, Semaphore shared, RunControl control, Consumer<Ask> done) {
        try {
            own.acquire();
            try {
                shared.acquire();
                try {
                    call(ask);
                } finally {
                    shared.release();
                }
            } finally {
                own.release();
            }
        } catch (InterruptedException e) {
            return;
        }
        // A call cut short by a stop says nothing about the line: it is redone by whoever resumes the batch.
        if (!control.stopped()) {
            done.accept(ask);
        }
    }

    private void call(Ask ask) throws InterruptedException {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                ask.answered(calls.chat(ask.expert(), ask.request()), millisSince(started));
                return;
            } catch (ExpertUnavailableException e) {
                if (e.reason() != ExpertUnavailableException.Reason.AT_CAPACITY || attempt == CAPACITY_ATTEMPTS) {
                    ask.failed(e, CallOutcome.of(e), millisSince(started));
                    return;
                }
                Thread.sleep(CAPACITY_BACKOFF.multipliedBy(attempt));
            } catch (RuntimeException e) {
                ask.failed(e, CallOutcome.of(e), millisSince(started));
                return;
            }
        }
    }

    private static long millisSince(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }
}
