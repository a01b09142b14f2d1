package io.consilium.aggregator.internal;

import io.consilium.aggregator.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What the request's {@code tool_choice} and {@code parallel_tool_calls} allow an answer to do: {@code none}
 * forbids tool calls, {@code required} demands one, a named function allows calls to it alone, {@code auto}
 * (or none given) allows anything; {@code parallel_tool_calls: false} allows at most one call.
 */
final class ToolRules {

    private enum Choice { AUTO, NONE, REQUIRED, FUNCTION }

    private final Choice choice;
    private final String function;
    private final boolean parallel;

    private ToolRules(Choice choice, String function, boolean parallel) {
        this.choice = choice;
        this.function = function;
        this.parallel = parallel;
    }

    /** Reads the two fields from a request body; values it does not know allow anything. */
    static ToolRules of(JsonNode body) {
        JsonNode toolChoice = body.path("tool_choice");
        Choice choice = Choice.AUTO;
        String function = "";
        if (toolChoice.isString()) {
            choice = switch (toolChoice.asString()) {
                case "none" -> Choice.NONE;
                case "required" -> Choice.REQUIRED;
                default -> Choice.AUTO;
            };
        } else if (toolChoice.path("type").asString("").equals("function")) {
            choice = Choice.FUNCTION;
            function = toolChoice.path("function").path("name").asString("");
        }
        JsonNode parallel = body.path("parallel_tool_calls");
        return new ToolRules(choice, function, !(parallel.isBoolean() && !parallel.booleanValue()));
    }

    /** The constraints in force, for messages: "tool_choice required", "parallel_tool_calls false". */
    List<String> describe() {
        List<String> constraints = new ArrayList<>();
        switch (choice) {
            case AUTO -> { }
            case NONE -> constraints.add("tool_choice none");
            case REQUIRED -> constraints.add("tool_choice required");
            case FUNCTION -> constraints.add("tool_choice function '" + function + "'");
        }
        if (!parallel) {
            constraints.add("parallel_tool_calls false");
        }
        return constraints;
    }

    /** Why an answer with these calls is not allowed; empty when it is. */
    Optional<String> refusal(List<ToolCall> calls) {
        @Nullable String refusal = switch (choice) {
            case AUTO -> null;
            case NONE -> calls.isEmpty() ? null : "called a tool, but tool_choice is none";
            case REQUIRED -> calls.isEmpty() ? "called no tool, but tool_choice is required" : null;
            case FUNCTION -> calls.isEmpty() ? "called no tool, but tool_choice names '" + function + "'"
                    : calls.stream().map(ToolCall::name).filter(name -> !name.equals(function)).findFirst()
                            .map(other -> "called '" + other + "', but tool_choice names '" + function + "'")
                            .orElse(null);
        };
        if (refusal == null && !parallel && calls.size() > 1) {
            refusal = "made " + calls.size() + " tool calls, but parallel_tool_calls is false";
        }
        return Optional.ofNullable(refusal);
    }
}
