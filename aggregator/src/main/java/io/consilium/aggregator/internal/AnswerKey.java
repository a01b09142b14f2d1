package io.consilium.aggregator.internal;

import io.consilium.aggregator.AnswerExtraction;
import io.consilium.aggregator.CandidateAnswer;
import io.consilium.aggregator.FinalAnswer;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What consensus and the vote compare of an answer: two answers agree when their keys are equal. An answer
 * with tool calls is the set of functions it called with their arguments (order and call ids do not matter);
 * else, under JSON mode, its JSON value; else its final answer as {@link AnswerExtraction} reads it.
 */
sealed interface AnswerKey {

    static AnswerKey of(CandidateAnswer answer, boolean json) {
        if (answer.hasToolCalls()) {
            return new Calls(answer.toolCalls().stream()
                    .map(call -> new Call(call.name(), call.canonicalArguments()))
                    .collect(Collectors.toUnmodifiableSet()));
        }
        if (json) {
            Optional<String> value = CanonicalJson.of(ResponseFormat.bare(answer.text()));
            if (value.isPresent()) {
                return new Json(value.get());
            }
        }
        return new Text(AnswerExtraction.finalAnswer(answer.text()));
    }

    /** The functions an answer called, each with its canonical arguments. */
    record Calls(Set<Call> calls) implements AnswerKey {}

    /** One function called with its canonical arguments. */
    record Call(String name, String arguments) {}

    /** The canonical JSON of an answer's content. */
    record Json(String canonical) implements AnswerKey {}

    /** The final answer read from an answer's text. */
    record Text(FinalAnswer answer) implements AnswerKey {}
}
