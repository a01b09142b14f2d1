package io.consilium.router.routing;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ExpertRegistry;
import io.consilium.router.chat.ExpertCallMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Runs a plan's experts in parallel on virtual threads under one deadline. An expert that fails before
 * answering hands its place to the next reserve while enough time is left; whatever has arrived when
 * all calls end (or the deadline passes) is the result. Calls still running at the deadline are cancelled.
 */
@Component
public final class PlanExecutor {

    /** Below this much time left, a replacement could not answer anyway. */
    private static final Duration MIN_TIME_FOR_REPLACEMENT = Duration.ofMillis(500);

    private final ExpertRegistry registry;
    private final ExpertCallMetrics metrics;

    PlanExecutor(ExpertRegistry registry, ExpertCallMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    /** Calls the plan's experts; returns one outcome per call made, answered or not. */
    public List<ExpertOutcome> answer(Plan plan, ChatRequest request, Deadline deadline) {
        List<ExpertOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        Map<String, PlannedExpert> inFlight = new ConcurrentHashMap<>();
        ConcurrentLinkedDeque<PlannedExpert> reserves = new ConcurrentLinkedDeque<>(plan.reserves());
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> pending = new ArrayList<>();
            for (PlannedExpert planned : plan.experts()) {
                pending.add(calls.submit(() -> answerOrReplace(planned, request, deadline, reserves, outcomes, inFlight)));
            }
            try {
                for (Future<?> future : pending) {
                    future.get(Math.max(0, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
                }
            } catch (TimeoutException e) {
                calls.shutdownNow();
            } catch (InterruptedException e) {
                calls.shutdownNow();
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException("expert call task failed", e.getCause());
            }
            synchronized (outcomes) {
                inFlight.values().forEach(planned -> outcomes.add(
                        new ExpertOutcome(planned, null, "timeout", deadline.elapsed().toMillis())));
                return List.copyOf(outcomes);
            }
        }
    }

    private void answerOrReplace(PlannedExpert first, ChatRequest request, Deadline deadline,
            ConcurrentLinkedDeque<PlannedExpert> reserves, List<ExpertOutcome> outcomes, Map<String, PlannedExpert> inFlight) {
        PlannedExpert planned = first;
        while (planned != null && !Thread.currentThread().isInterrupted()) {
            inFlight.put(planned.expert().id(), planned);
            ExpertOutcome outcome = call(planned, request);
            synchronized (outcomes) {
                if (inFlight.remove(planned.expert().id()) == null) {
                    return; // the deadline already reported it as timed out
                }
                outcomes.add(outcome);
            }
            if (outcome.answered() || deadline.remaining().compareTo(MIN_TIME_FOR_REPLACEMENT) < 0) {
                return;
            }
            planned = reserves.poll();
        }
    }

    private ExpertOutcome call(PlannedExpert planned, ChatRequest request) {
        long started = System.nanoTime();
        try {
            ChatCompletion completion = registry.clientFor(planned.expert()).chat(request);
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            metrics.record(planned.expert().id(), false, ExpertCallMetrics.OK, latency);
            return new ExpertOutcome(planned, completion, ExpertCallMetrics.OK, latency.toMillis());
        } catch (RuntimeException e) {
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            String outcome = ExpertCallMetrics.outcomeOf(e);
            metrics.record(planned.expert().id(), false, outcome, latency);
            return new ExpertOutcome(planned, null, outcome, latency.toMillis());
        }
    }
}
