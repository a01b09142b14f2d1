package io.consilium.aggregator;

import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import java.util.List;

/**
 * A fusion that waits for its aggregator: the request to send it, and the answers to vote over should it
 * fail. Finished by {@link Fuser#synthesize}, or, for a caller that ran the request itself, by
 * {@link Fuser#synthesized} or {@link Fuser#aggregatorFailed}.
 *
 * @param aggregator who is to synthesise
 * @param request the whole-answer request for the aggregator
 * @param answers the experts' answers it fuses, every one, those that break the request's constraints included
 */
public record PendingSynthesis(Expert aggregator, ChatRequest request, List<CandidateAnswer> answers)
        implements FusionDecision {

    public PendingSynthesis {
        answers = List.copyOf(answers);
        if (answers.isEmpty()) {
            throw new IllegalArgumentException("a synthesis needs at least one answer, but was given none");
        }
    }
}
