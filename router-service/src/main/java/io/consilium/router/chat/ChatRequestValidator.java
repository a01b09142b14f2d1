package io.consilium.router.chat;

import io.consilium.registry.ChatRequest;
import io.consilium.router.api.ApiException;
import io.consilium.router.routing.Router;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks the fields of a chat completion request that this service reads or that an expert would
 * reject with a less helpful message. Fields it does not know are left alone for the expert.
 */
public final class ChatRequestValidator {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    private static final Set<String> PART_TYPES = Set.of("text", "image_url", "input_audio", "file", "refusal");
    /** OpenAI's own bound on {@code n}. */
    private static final int MAX_CHOICES = 128;

    private final int maxMessages;

    public ChatRequestValidator(int maxMessages) {
        this.maxMessages = maxMessages;
    }

    /** The request, or a 400 naming the first bad field. */
    public ChatRequest validate(JsonNode body) {
        if (!(body instanceof ObjectNode object)) {
            throw ApiException.invalidRequest(null, "The request body must be a JSON object.");
        }
        requireNonEmptyString(object, "model");
        validateMessages(object.get("messages"));
        if (object.get("messages").size() > maxMessages) {
            throw ApiException.invalidRequest("messages", "'messages' may hold at most " + maxMessages
                    + " messages, but held " + object.get("messages").size() + ".");
        }
        optionalBoolean(object, "stream");
        optionalNumber(object, "temperature", 0, 2);
        optionalNumber(object, "top_p", 0, 1);
        optionalNumber(object, "presence_penalty", -2, 2);
        optionalNumber(object, "frequency_penalty", -2, 2);
        optionalPositiveInt(object, "max_tokens");
        optionalPositiveInt(object, "max_completion_tokens");
        optionalIntBetween(object, "n", 1, MAX_CHOICES);
        JsonNode streamOptions = object.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull() && !streamOptions.isObject()) {
            throw ApiException.invalidRequest("stream_options", "'stream_options' must be an object.");
        }
        JsonNode consilium = object.get("consilium");
        if (consilium != null && !consilium.isNull() && !consilium.isObject()) {
            throw ApiException.invalidRequest("consilium", "'consilium' must be an object.");
        }
        return new ChatRequest(object);
    }

    /**
     * A 400 naming {@code n} when a request to {@code consilium/auto} asks for more than one choice. It
     * answers with one fused answer; relaying it as the only choice would silently give the caller fewer
     * choices than it asked for. Called apart from {@link #validate}, where the model is known to be virtual,
     * so that a batch line fails alone instead of its whole file.
     */
    public void checkVirtualModel(ChatRequest request) {
        String model = request.body().path("model").asString();
        // consilium/route relays one expert's answer whole, so it keeps every choice and tool call.
        if (!Router.AUTO.equals(model)) {
            return;
        }
        int n = request.body().path("n").asInt(1);
        if (n > 1) {
            throw ApiException.invalidRequest("n", "'n' must be 1 for the virtual model '" + model
                    + "', but was " + n + ": it answers with one fused choice. For " + n
                    + " choices, use consilium/route or name an expert by its id as the model.");
        }
        // Fusion compares and writes tool_calls; the legacy function_call answer would be lost, so say so.
        JsonNode functions = request.body().path("functions");
        if (functions.isArray() && !functions.isEmpty()) {
            throw ApiException.invalidRequest("functions", "'functions' cannot be used with the virtual model '"
                    + model + "': it fuses tool calls, not the legacy function_call. Offer them as 'tools'.");
        }
        // A fused answer has no token probabilities and no audio of its own: asked for, they would be silently missing.
        if (request.body().path("logprobs").asBoolean(false) || request.body().hasNonNull("top_logprobs")) {
            String field = request.body().path("logprobs").asBoolean(false) ? "logprobs" : "top_logprobs";
            throw ApiException.invalidRequest(field, "'" + field + "' cannot be used with the virtual model '" + model
                    + "': a fused answer has no token probabilities. Use consilium/route or name an expert by its id.");
        }
        for (JsonNode modality : request.body().path("modalities")) {
            if ("audio".equals(modality.asString(""))) {
                throw ApiException.invalidRequest("modalities", "'modalities' cannot include audio with the virtual model '"
                        + model + "': it fuses text. Use consilium/route or name an expert by its id.");
            }
        }
    }

    private static void requireNonEmptyString(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.invalidRequest(field, "'" + field + "' is required.");
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a non-empty string.");
        }
    }

    private static void validateMessages(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw ApiException.invalidRequest("messages", "'messages' is required.");
        }
        if (!messages.isArray()) {
            throw ApiException.invalidRequest("messages", "'messages' must be an array of message objects.");
        }
        if (messages.isEmpty()) {
            throw ApiException.invalidRequest("messages", "'messages' must contain at least one message.");
        }
        for (int i = 0; i < messages.size(); i++) {
            validateMessage(messages.get(i), "messages[" + i + "]");
        }
    }

    private static void validateMessage(JsonNode message, String path) {
        if (!message.isObject()) {
            throw ApiException.invalidRequest(path, "'" + path + "' must be an object.");
        }
        JsonNode role = message.get("role");
        if (role == null || !role.isString() || !ROLES.contains(role.asString())) {
            throw ApiException.invalidRequest(path + ".role",
                    "'" + path + ".role' must be one of " + ROLES.stream().sorted().toList() + ".");
        }
        JsonNode content = message.get("content");
        boolean assistantWithCalls = "assistant".equals(role.asString())
                && (message.has("tool_calls") || message.has("function_call"));
        if (content == null || content.isNull()) {
            if (!assistantWithCalls) {
                throw ApiException.invalidRequest(path + ".content", "'" + path + ".content' is required.");
            }
            return;
        }
        if (content.isString()) {
            return;
        }
        if (!content.isArray()) {
            throw ApiException.invalidRequest(path + ".content",
                    "'" + path + ".content' must be a string or an array of content parts.");
        }
        for (int j = 0; j < content.size(); j++) {
            validatePart(content.get(j), path + ".content[" + j + "]");
        }
    }

    private static void validatePart(JsonNode part, String path) {
        JsonNode type = part.path("type");
        if (!part.isObject() || !type.isString() || !PART_TYPES.contains(type.asString())) {
            throw ApiException.invalidRequest(path + ".type",
                    "'" + path + ".type' must be one of " + PART_TYPES.stream().sorted().toList() + ".");
        }
        switch (type.asString()) {
            case "text" -> {
                if (!part.path("text").isString()) {
                    throw ApiException.invalidRequest(path + ".text", "'" + path + ".text' must be a string.");
                }
            }
            case "image_url" -> {
                JsonNode url = part.path("image_url").path("url");
                if (!url.isString() || url.asString().isBlank()) {
                    throw ApiException.invalidRequest(path + ".image_url.url",
                            "'" + path + ".image_url.url' must be a non-empty string.");
                }
            }
            default -> { }
        }
    }

    private static void optionalBoolean(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && !value.isBoolean()) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a boolean.");
        }
    }

    private static void optionalNumber(ObjectNode body, String field, double min, double max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a number between " + min + " and " + max + ".");
        }
    }

    private static void optionalPositiveInt(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a positive integer.");
        }
    }

    private static void optionalIntBetween(ObjectNode body, String field, int min, int max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be an integer between " + min + " and "
                    + max + ", but was " + value + ".");
        }
    }
}
