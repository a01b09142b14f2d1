package io.consilium.aggregator.internal;

import io.consilium.aggregator.CandidateAnswer;
import io.consilium.aggregator.ToolCall;
import io.consilium.registry.ChatRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What the client's request demands of the form of an answer, from its {@code response_format},
 * {@code tool_choice} and {@code parallel_tool_calls}; an answer that breaks them cannot be sent, however many
 * experts gave it. An answer with tool calls is not held to the response format, which binds content only.
 * One instance serves one request, on one thread.
 */
final class AnswerRules {

    private final ResponseFormat format;
    private final ToolRules tools;
    private final boolean offersTools;

    private AnswerRules(ResponseFormat format, ToolRules tools, boolean offersTools) {
        this.format = format;
        this.tools = tools;
        this.offersTools = offersTools;
    }

    static AnswerRules of(ChatRequest request) {
        JsonNode body = request.body();
        JsonNode tools = body.path("tools");
        return new AnswerRules(ResponseFormat.of(body.path("response_format")), ToolRules.of(body),
                tools.isArray() && !tools.isEmpty());
    }

    /** Whether answers are compared as JSON values rather than by their final answers. */
    boolean json() {
        return format.isJson();
    }

    /** Whether the request offers the model tools to call. */
    boolean offersTools() {
        return offersTools;
    }

    /**
     * Whether an answer must be checked whole before any of it is sent: a JSON answer cannot be validated in
     * pieces, and an answer to a request with tools may turn out to be a tool call that breaks the request's
     * tool rules.
     */
    boolean needsWholeAnswer() {
        return format.isJson() || offersTools;
    }

    /** The constraints in force, for messages: "response_format json_object, tool_choice required". */
    String describe() {
        List<String> constraints = new ArrayList<>();
        format.describe().ifPresent(constraints::add);
        constraints.addAll(tools.describe());
        return constraints.isEmpty() ? "none" : String.join(", ", constraints);
    }

    /** Whether an answer of this text and these calls may be used, and the text to send if so. */
    Verdict check(String text, List<ToolCall> calls) {
        Optional<String> refusal = tools.refusal(calls);
        if (refusal.isPresent()) {
            return new Verdict.Refused(refusal.get());
        }
        return calls.isEmpty() ? format.check(text) : new Verdict.Accepted(text);
    }

    /** Splits answers into those that may be used, with their texts as they are to be sent, and the rest. */
    Screening screen(List<CandidateAnswer> answers) {
        List<CandidateAnswer> eligible = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (CandidateAnswer answer : answers) {
            switch (check(answer.text(), answer.toolCalls())) {
                case Verdict.Accepted accepted -> eligible.add(new CandidateAnswer(answer.expertId(), accepted.text(),
                        answer.weight(), answer.toolCalls()));
                case Verdict.Refused refused ->
                        refusals.add("the answer of '" + answer.expertId() + "' " + refused.reason());
            }
        }
        return new Screening(List.copyOf(eligible), List.copyOf(refusals));
    }

    /**
     * Answers split by the rules.
     *
     * @param eligible the answers that may be used, in their order, each with its text as it is to be sent
     * @param refusals why each other answer may not be used: "the answer of 'a' was not valid JSON"
     */
    record Screening(List<CandidateAnswer> eligible, List<String> refusals) {}
}
