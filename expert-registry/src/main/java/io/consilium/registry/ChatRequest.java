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

    /** Whether a streamed request asked to be sent the usage chunk ({@code stream_options.include_usage}). */
    public boolean asksForStreamUsage() {
        return body.path("stream_options").path("include_usage").asBoolean(false);
    }

    /** The text of the last user message (text parts joined), or empty. */
    public String lastUserText() {
        return lastUserText(body.path("messages"));
    }

    /** The text of the last user message of an OpenAI messages array (text parts joined), or empty. */
    public static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(message.path("role").asString(""))) {
                return contentText(message.path("content"));
            }
        }
        return "";
    }

    /** The text of a message's content: a string, or the text parts of a content array joined by spaces. */
    public static String contentText(JsonNode content) {
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asString(""))) {
                text.append(text.isEmpty() ? "" : " ").append(part.path("text").asString(""));
            }
        }
        return text.toString();
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
