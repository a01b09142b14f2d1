package io.consilium.registry;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A chat completion request in the OpenAI wire shape. The body is kept whole so that fields this
 * service does not know (tools, response_format, seed, logprobs…) reach the expert untouched.
 * Callers must not change the body after construction.
 */
public record ChatRequest(ObjectNode body) {

    public ChatRequest {
        if (!body.path("messages").isArray()) {
            throw new IllegalArgumentException("a chat request needs a messages array");
        }
    }

    /** Whether the client asked for server-sent events. */
    public boolean isStream() {
        return body.path("stream").asBoolean(false);
    }

    /** Whether any message carries an image part. */
    public boolean hasImageInput() {
        for (JsonNode message : body.path("messages")) {
            for (JsonNode part : message.path("content")) {
                if (part.isObject() && "image_url".equals(part.path("type").asString(""))) {
                    return true;
                }
            }
        }
        return false;
    }
}
