package io.consilium.aggregator.internal;

import io.consilium.aggregator.CandidateAnswer;
import io.consilium.aggregator.FusionConfig;
import io.consilium.aggregator.ToolCall;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the request that asks an aggregator to fuse expert answers into one: the instructions as a
 * system message, the original conversation, then the numbered answers, tool calls included, to its last
 * message.
 */
final class SynthesisPrompt {

    /**
     * Fields that say what form the answer takes. They reach the aggregator whatever the config copies: its
     * answer is held to them, and it can only call a tool it was offered.
     */
    private static final List<String> ANSWER_FORM_FIELDS =
            List.of("tools", "tool_choice", "parallel_tool_calls", "response_format");

    private final FusionConfig config;

    SynthesisPrompt(FusionConfig config) {
        this.config = config;
    }

    /**
     * The whole-answer request for the aggregator.
     *
     * @param original the client's request: its conversation, its answer-form fields and the fields the config
     *     copies
     * @param answers the expert answers, in the order they are to be numbered
     */
    ChatRequest request(ChatRequest original, List<CandidateAnswer> answers, Expert aggregator) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("messages", messages(original, answers));
        body.put("model", aggregator.id());
        Set<String> copied = new LinkedHashSet<>(config.copiedFields());
        copied.addAll(ANSWER_FORM_FIELDS);
        for (String field : copied) {
            if (original.body().has(field)) {
                body.set(field, original.body().get(field).deepCopy());
            }
        }
        return new ChatRequest(body);
    }

    /** The same request to be streamed: usage only comes at the end of a stream when it is asked for. */
    ChatRequest streamed(ChatRequest request) {
        ObjectNode body = request.body().deepCopy();
        if (config.streamUsage()) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return new ChatRequest(body);
    }

    private ArrayNode messages(ChatRequest original, List<CandidateAnswer> answers) {
        ArrayNode messages = JsonNodeFactory.instance.arrayNode();
        messages.addObject().put("role", "system").put("content", config.synthesisInstructions());
        // The client's own system messages stay: they carry format and tone the answer must keep.
        for (JsonNode message : original.body().path("messages")) {
            messages.add(message.deepCopy());
        }
        StringBuilder numbered = new StringBuilder("Expert answers to the last request:\n");
        for (int i = 0; i < answers.size(); i++) {
            numbered.append("\n[").append(i + 1).append("]\n");
            appendAnswer(answers.get(i), numbered);
        }
        numbered.append("\nNow write the single best answer to the last request.");
        AnswerRules rules = AnswerRules.of(original);
        // Said here as well as in the instructions, which a deployment may have replaced with its own.
        if (rules.offersTools()) {
            numbered.append(" If the best answer is to call one or more of the tools, answer with those tool calls.");
        }
        if (rules.json()) {
            numbered.append(" Answer with JSON alone, in the format the request asks for.");
        }
        messages.addObject().put("role", "user").put("content", numbered.toString());
        return messages;
    }

    private static void appendAnswer(CandidateAnswer answer, StringBuilder out) {
        String text = answer.text().strip();
        if (!text.isEmpty() || !answer.hasToolCalls()) {
            out.append(text).append('\n');
        }
        if (answer.hasToolCalls()) {
            out.append("Tool calls:\n");
            for (ToolCall call : answer.toolCalls()) {
                out.append("- ").append(call.name()).append('(').append(call.arguments().strip()).append(")\n");
            }
        }
    }
}
