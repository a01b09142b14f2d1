package io.consilium.router.messages;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Translates the chat core's answers back into Anthropic's message object and its parts. */
final class MessageAnswers {

    private final JsonMapper json;

    MessageAnswers(JsonMapper json) {
        this.json = json;
    }

    /**
     * The message for a whole {@code chat.completion}: its text and tool calls as content blocks, its finish
     * reason as the stop reason, its usage, and the {@code consilium} object at the top level.
     *
     * @param model the model the client asked for, which the message names
     */
    ObjectNode message(ObjectNode completion, String model) {
        JsonNode choice = completion.path("choices").path(0);
        JsonNode answer = choice.path("message");
        ObjectNode message = json.createObjectNode();
        message.put("id", messageId(completion.path("id").asString("")));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        ArrayNode content = message.putArray("content");
        String text = answer.path("content").asString("");
        JsonNode calls = answer.path("tool_calls");
        if (!text.isEmpty() || calls.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        for (JsonNode call : calls) {
            content.addObject().put("type", "tool_use").put("id", call.path("id").asString(""))
                    .put("name", call.path("function").path("name").asString(""))
                    .set("input", input(call.path("function").path("arguments").asString("")));
        }
        message.put("stop_reason", stopReason(choice.path("finish_reason").asString(null)));
        message.putNull("stop_sequence");
        message.set("usage", usage(completion.path("usage").path("prompt_tokens").asLong(0),
                completion.path("usage").path("completion_tokens").asLong(0)));
        JsonNode consilium = completion.get("consilium");
        if (consilium instanceof ObjectNode metadata) {
            message.set("consilium", withCompletionId(metadata, completion));
        }
        return message;
    }

    /** Anthropic's usage object: the chat core's counts, with no prompt caching. */
    ObjectNode usage(long inputTokens, long outputTokens) {
        return json.createObjectNode()
                .put("input_tokens", inputTokens)
                .put("output_tokens", outputTokens)
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0);
    }

    /**
     * The {@code consilium} object with the id the chat core remembered the answer under, which feedback
     * ({@code POST /v1/feedback}) takes.
     */
    static ObjectNode withCompletionId(ObjectNode metadata, JsonNode completion) {
        if (completion.path("id").isString()) {
            metadata.put("completion_id", completion.path("id").asString());
        }
        return metadata;
    }

    /** A message id in Anthropic's form, made of the chat answer's id. */
    static String messageId(String completionId) {
        return "msg_" + completionId.replaceFirst("^chatcmpl-", "");
    }

    /**
     * The chat finish reason as a stop reason. Chat experts do not say which stop sequence ended an answer,
     * so a stop is always {@code end_turn} and {@code stop_sequence} stays null.
     */
    static @Nullable String stopReason(@Nullable String finishReason) {
        if (finishReason == null) {
            return null;
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    /** A tool call's arguments as the object Anthropic's {@code input} is; an argument string that is no object is kept under {@code arguments}. */
    ObjectNode input(String arguments) {
        if (arguments.isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode parsed = json.readTree(arguments);
            if (parsed instanceof ObjectNode object) {
                return object;
            }
        } catch (JacksonException notJson) {
            // Kept as it is below: the client sees what the expert wrote.
        }
        return json.createObjectNode().put("arguments", arguments);
    }
}
