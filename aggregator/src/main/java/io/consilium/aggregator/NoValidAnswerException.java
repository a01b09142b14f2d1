package io.consilium.aggregator;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Experts answered, but no answer meets the request's constraints on its form ({@code response_format},
 * {@code tool_choice}, {@code parallel_tool_calls}), and no synthesis made one that does. Nothing can be sent:
 * an answer that breaks them would break the client that asked for them. Retrying may help, since models do not
 * answer the same way twice.
 */
public class NoValidAnswerException extends RuntimeException {

    private final String constraints;
    private final List<String> refusals;

    /**
     * @param constraints the constraints in force: "response_format json_schema 'weather', tool_choice required"
     * @param refusals why each answer was refused: "the answer of 'a' was not valid JSON"
     * @param aggregatorFailure why the aggregator, when asked, gave no answer at all; null when it was not asked
     *     or its answer is among the refusals
     */
    public NoValidAnswerException(String constraints, List<String> refusals,
            @Nullable RuntimeException aggregatorFailure) {
        super(message(constraints, refusals, aggregatorFailure), aggregatorFailure);
        this.constraints = constraints;
        this.refusals = List.copyOf(refusals);
    }

    /** The constraints no answer met, as they are named in the request. */
    public String constraints() {
        return constraints;
    }

    /** Why each answer was refused, the aggregator's included when it answered. */
    public List<String> refusals() {
        return refusals;
    }

    private static String message(String constraints, List<String> refusals,
            @Nullable RuntimeException aggregatorFailure) {
        StringBuilder message = new StringBuilder("No answer met the request's constraints (").append(constraints)
                .append("): ").append(refusals.size()).append(refusals.size() == 1 ? " answer was" : " answers were")
                .append(" refused");
        if (!refusals.isEmpty()) {
            message.append(" (").append(String.join("; ", refusals)).append(')');
        }
        if (aggregatorFailure != null) {
            message.append(", and the aggregator gave no answer (").append(aggregatorFailure.getMessage()).append(')');
        }
        return message.append('.').toString();
    }
}
