package io.consilium.aggregator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the request that asks an aggregator to fuse expert answers into one: the instructions as a
 * system message, the original conversation, then the numbered answers to its last message.
 */
public final class SynthesisPrompt {

    private static final String DEFAULT_RESOURCE = "synthesis-prompt.txt";

    private final String instructions;

    public SynthesisPrompt(String instructions) {
        if (instructions.isBlank()) {
            throw new IllegalArgumentException("synthesis instructions must not be blank");
        }
        this.instructions = instructions.strip();
    }

    /** The instructions shipped with the service. */
    public static SynthesisPrompt defaults() {
        try (InputStream in = SynthesisPrompt.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
            }
            return new SynthesisPrompt(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String instructions() {
        return instructions;
    }

    /**
     * The messages for the aggregator.
     *
     * @param conversation the client's messages, OpenAI shape
     * @param answers the expert answers, in the order they are to be numbered
     */
    public ArrayNode messages(JsonNode conversation, List<String> answers) {
        ArrayNode messages = JsonNodeFactory.instance.arrayNode();
        messages.addObject().put("role", "system").put("content", instructions);
        // The client's own system messages stay: they carry format and tone the answer must keep.
        for (JsonNode message : conversation) {
            messages.add(message.deepCopy());
        }
        StringBuilder numbered = new StringBuilder("Expert answers to the last request:\n");
        for (int i = 0; i < answers.size(); i++) {
            numbered.append("\n[").append(i + 1).append("]\n").append(answers.get(i).strip()).append('\n');
        }
        numbered.append("\nNow write the single best answer to the last request.");
        messages.addObject().put("role", "user").put("content", numbered.toString());
        return messages;
    }

    /** A chat request body (without model) for the aggregator. */
    public ObjectNode request(JsonNode conversation, List<String> answers) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("messages", messages(conversation, answers));
        return body;
    }
}
