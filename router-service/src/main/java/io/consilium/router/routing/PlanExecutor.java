package io.consilium.router.routing;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.CallStop;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.router.calls.ExpertCalls;
import io.consilium.router.tracing.PipelineTracing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Runs a plan's experts in parallel on virtual threads under one deadline. An expert that fails before
 * answering hands its place to the next reserve ({@link Reserves}); whatever has arrived when
 * all calls end (or the deadline passes) is the result. Calls still running at the deadline are cancelled.
 */
@Component
public final class PlanExecutor {

    private final ExpertCalls calls;
    private final PipelineTracing tracing;

    PlanExecutor(ExpertCalls calls, PipelineTracing tracing) {
        this.calls = calls;
        this.tracing = tracing;
    }

    /**
     * Calls the plan's experts; returns one outcome per call made, answered or not. An interrupt of the
     * calling thread (its client hung up) stops every call; those still running are then reported as
     * {@code client_gone}.
     */
    public List<ExpertOutcome> answer(Plan plan, ChatRequest request, Deadline deadline) {
        Run run = new Run(request, deadline, new Reserves(plan.reserves()));
        // Calls cut at the deadline are timeouts, calls cut because the client left are not: the stop says which.
        CallStop stop = new CallStop();
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> pending = new ArrayList<>();
            for (PlannedExpert planned : plan.experts()) {
                // Each call's attempts belong to the request's trace, on whichever thread they run.
                pending.add(calls.submit(tracing.inCurrentObservation(() -> stop.run(() -> run.answerOrReplace(planned)))));
            }
            CallOutcome unfinished = CallOutcome.TIMEOUT;
            try {
                for (Future<?> future : pending) {
                    future.get(Math.max(0, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
                }
            } catch (TimeoutException e) {
                stop.deadlinePassed();
                calls.shutdownNow();
            } catch (InterruptedException e) {
                run.abandoned = true;
                unfinished = CallOutcome.CLIENT_GONE;
                calls.shutdownNow();
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException("expert call task failed", e.getCause());
            }
            return run.outcomes(unfinished);
        }
    }

    /** One execution of a plan: the reserves left, the calls in flight and the outcomes so far. */
    private final class Run {

        private final ChatRequest request;
        private final Deadline deadline;
        private final Reserves reserves;
        private final List<ExpertOutcome> outcomes = new ArrayList<>();
        private final Map<String, PlannedExpert> inFlight = new ConcurrentHashMap<>();
        private volatile boolean abandoned;

        Run(ChatRequest request, Deadline deadline, Reserves reserves) {
            this.request = request;
            this.deadline = deadline;
            this.reserves = reserves;
        }

        void answerOrReplace(PlannedExpert first) {
            PlannedExpert planned = first;
            while (planned != null && !Thread.currentThread().isInterrupted()) {
                inFlight.put(planned.expert().id(), planned);
                ExpertOutcome outcome = call(planned);
                synchronized (outcomes) {
                    if (inFlight.remove(planned.expert().id()) == null) {
                        return; // already reported as unfinished
                    }
                    outcomes.add(outcome);
                }
                planned = reserves.replacing(outcome, deadline.remaining());
            }
        }

        /** The outcomes so far, with every call still in flight reported with the given outcome. */
        List<ExpertOutcome> outcomes(CallOutcome unfinished) {
            synchronized (outcomes) {
                inFlight.values().forEach(planned -> outcomes.add(
                        new ExpertOutcome(planned, null, unfinished, deadline.elapsed().toMillis())));
                inFlight.clear();
                return List.copyOf(outcomes);
            }
        }

        private ExpertOutcome call(PlannedExpert planned) {
            long started = System.nanoTime();
            try {
                ChatCompletion completion = calls.chat(planned.expert(), request);
                Duration latency = Duration.ofNanos(System.nanoTime() - started);
                return new ExpertOutcome(planned, completion, CallOutcome.OK, latency.toMillis());
            } catch (RuntimeException e) {
                Duration latency = Duration.ofNanos(System.nanoTime() - started);
                CallOutcome outcome = abandoned ? CallOutcome.CLIENT_GONE : CallOutcome.of(e);
                return new ExpertOutcome(planned, null, outcome, latency.toMillis());
            }
        }
    }
}
