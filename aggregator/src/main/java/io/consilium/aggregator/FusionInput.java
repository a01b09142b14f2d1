package io.consilium.aggregator;

import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What fusion works on: the request the experts were asked, the fusion the plan chose, every answer that
 * arrived and every expert that gave none.
 *
 * @param request the client's request: the aggregator sees its conversation and some of its fields
 * @param mode the fusion the plan chose; {@link FusionMode#NONE} when it asked one expert
 * @param answers the answers that arrived, in the order the aggregator is to number them
 * @param unanswered the experts that were asked and gave no answer, in the order they were asked
 * @param aggregator who synthesises; required when the mode is {@link FusionMode#SYNTHESIZE}
 */
public record FusionInput(ChatRequest request, FusionMode mode, List<CandidateAnswer> answers,
        List<Unanswered> unanswered, @Nullable Expert aggregator) {

    public FusionInput {
        answers = List.copyOf(answers);
        unanswered = List.copyOf(unanswered);
        if (mode == FusionMode.SYNTHESIZE && aggregator == null) {
            throw new IllegalArgumentException("fusion mode " + mode.id() + " needs an aggregator, but none was given");
        }
    }
}
