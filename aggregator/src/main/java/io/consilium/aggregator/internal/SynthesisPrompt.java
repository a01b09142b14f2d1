package io.consilium.aggregator.internal;

import io.consilium.aggregator.CandidateAnswer;
import io.consilium.aggregator.FusionConfig;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the request that asks an aggregator to fuse expert answers into one: the instructions as a
 * system message, the original conversation, then the numbered answers to its last message.
 */
final class SynthesisPrompt {

    private final FusionConfig config;

    SynthesisPrompt(FusionConfig config) {
        this.config = config;
    }

    /**
     * The whole-answer request for the aggregator.
     *
     * @param original the client's request: its conversation, and the fields the config copies
     * @param answers the expert answers, in the order they are to be numbered
     */
    ChatRequest request(ChatRequest original, List<CandidateAnswer> answers, Expert aggregator) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("messages", messages(original.body().path("messages"), answers));
        body.put("model", aggregator.id());
        for (String field : config.copiedFields()) {
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

    private ArrayNode messages(JsonNode conversation, List<CandidateAnswer> answers) {
        ArrayNode messages = JsonNodeFactory.instance.arrayNode();
        messages.addObject().put("role", "system").put("content", config.synthesisInstructions());
        // The client's own system messages stay: they carry format and tone the answer must keep.
        for (JsonNode message : conversation) {
            messages.add(message.deepCopy());
        }
        StringBuilder numbered = new StringBuilder("Expert answers to the last request:\n");
        for (int i = 0; i < answers.size(); i++) {
            numbered.append("\n[").append(i + 1).append("]\n").append(answers.get(i).text().strip()).append('\n');
        }
        numbered.append("\nNow write the single best answer to the last request.");
        messages.addObject().put("role", "user").put("content", numbered.toString());
        return messages;
    }
}
