package io.consilium.router.batchapi;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import io.consilium.router.routing.ExpertOutcome;
import io.consilium.router.routing.PlannedExpert;
import org.jspecify.annotations.Nullable;

/**
 * One request to one expert within a batch run, and what came of it. Its result is set once, by the thread
 * that ran it, before whoever waits for it reads it.
 *
 * @param owner which piece of the run's work it belongs to (a line, or a synthesis), by index
 */
final class Ask {

    private final PlannedExpert planned;
    private final ChatRequest request;
    private final int owner;
    private @Nullable ChatCompletion completion;
    private @Nullable RuntimeException failure;
    private @Nullable CallOutcome outcome;
    private long latencyMs;
    private boolean ran;

    Ask(PlannedExpert planned, ChatRequest request, int owner) {
        this.planned = planned;
        this.request = request;
        this.owner = owner;
    }

    Expert expert() {
        return planned.expert();
    }

    ChatRequest request() {
        return request;
    }

    int owner() {
        return owner;
    }

    void answered(ChatCompletion answer, long latency) {
        this.completion = answer;
        this.outcome = CallOutcome.OK;
        this.latencyMs = latency;
        this.ran = true;
    }

    void failed(RuntimeException why, CallOutcome outcome, long latency) {
        this.failure = why;
        this.outcome = outcome;
        this.latencyMs = latency;
        this.ran = true;
    }

    boolean ran() {
        return ran;
    }

    boolean isAnswered() {
        return completion != null;
    }

    @Nullable ChatCompletion completion() {
        return completion;
    }

    @Nullable RuntimeException failure() {
        return failure;
    }

    /** How its call went; asked only once it {@link #ran()}. */
    CallOutcome outcome() {
        if (outcome == null) {
            throw new IllegalStateException("the request to expert '" + expert().id() + "' has not run");
        }
        return outcome;
    }

    long latencyMs() {
        return latencyMs;
    }

    ExpertOutcome toOutcome() {
        return new ExpertOutcome(planned, completion, outcome(), latencyMs);
    }
}
