package io.consilium.router.responses;

import io.consilium.router.api.ApiException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Responses request as the chat completions request every expert and the virtual models understand:
 * input items become messages (function calls an assistant message's {@code tool_calls}, their outputs
 * {@code tool} messages), the flat function tools chat's nested ones, {@code text.format} the
 * {@code response_format}.
 */
final class ChatTranslation {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChatTranslation() {}

    /**
     * @param conversation the items of the whole conversation: those of the responses it continues, then this
     *     request's input
     */
    static ObjectNode chatBody(ResponseRequest request, ArrayNode conversation) {
        ObjectNode source = request.body();
        ObjectNode chat = NODES.objectNode();
        chat.put("model", request.model());
        chat.set("messages", messages(text(source, "instructions"), conversation));
        JsonNode tools = source.get("tools");
        if (ResponseRequest.present(tools) && !tools.isEmpty()) {
            ArrayNode chatTools = chat.putArray("tools");
            for (JsonNode tool : tools) {
                ObjectNode function = chatTools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.path("name").asString());
                copy(tool, "description", function);
                copy(tool, "parameters", function);
                copy(tool, "strict", function);
            }
        }
        JsonNode toolChoice = source.get("tool_choice");
        if (ResponseRequest.present(toolChoice)) {
            if (toolChoice.isString()) {
                chat.set("tool_choice", toolChoice);
            } else {
                chat.putObject("tool_choice").put("type", "function").putObject("function")
                        .put("name", toolChoice.path("name").asString());
            }
        }
        JsonNode format = source.path("text").path("format");
        switch (format.path("type").asString("text")) {
            case "json_object" -> chat.putObject("response_format").put("type", "json_object");
            case "json_schema" -> {
                ObjectNode schema = chat.putObject("response_format").put("type", "json_schema").putObject("json_schema");
                schema.put("name", format.path("name").asString());
                copy(format, "description", schema);
                copy(format, "schema", schema);
                copy(format, "strict", schema);
            }
            default -> { }
        }
        Long maxTokens = request.maxOutputTokens();
        if (maxTokens != null) {
            chat.put("max_tokens", maxTokens);
        }
        for (String field : List.of("temperature", "top_p", "parallel_tool_calls", "user", "consilium")) {
            copy(source, field, chat);
        }
        if (request.stream()) {
            chat.put("stream", true);
            // Usage is reported on response.completed, so the experts are always asked for it.
            chat.putObject("stream_options").put("include_usage", true);
        }
        return chat;
    }

    /** The items as chat messages, after a system message holding the instructions when there are some. */
    static ArrayNode messages(@Nullable String instructions, ArrayNode items) {
        ArrayNode messages = NODES.arrayNode();
        if (instructions != null && !instructions.isEmpty()) {
            messages.addObject().put("role", "system").put("content", instructions);
        }
        for (JsonNode item : items) {
            switch (item.path("type").asString()) {
                case "message" -> messages.add(message(item));
                case "function_call" -> {
                    ObjectNode assistant = openAssistantTurn(messages);
                    ArrayNode calls = assistant.has("tool_calls") ? (ArrayNode) assistant.get("tool_calls")
                            : assistant.putArray("tool_calls");
                    ObjectNode call = calls.addObject();
                    call.put("id", item.path("call_id").asString());
                    call.put("type", "function");
                    call.putObject("function").put("name", item.path("name").asString())
                            .put("arguments", item.path("arguments").asString());
                }
                case "function_call_output" -> messages.addObject()
                        .put("role", "tool")
                        .put("tool_call_id", item.path("call_id").asString())
                        .put("content", joinedText(item.get("output")));
                // Another model's reasoning, kept from an expert that serves the Responses API: chat has no place
                // for it, and a chat expert could not read it.
                case "reasoning" -> { }
                default -> throw ApiException.invalidRequest("previous_response_id", "The conversation holds an item"
                        + " of type '" + item.path("type").asString() + "', which Chat Completions cannot carry;"
                        + " continue it with an expert that serves the Responses API.");
            }
        }
        return messages;
    }

    /** The assistant message a function call belongs to: the last message if it is the assistant's, else a new one. */
    private static ObjectNode openAssistantTurn(ArrayNode messages) {
        if (!messages.isEmpty() && messages.get(messages.size() - 1) instanceof ObjectNode last
                && last.path("role").asString().equals("assistant")) {
            return last;
        }
        ObjectNode assistant = messages.addObject().put("role", "assistant");
        assistant.putNull("content");
        return assistant;
    }

    private static ObjectNode message(JsonNode item) {
        String role = item.path("role").asString();
        ObjectNode message = NODES.objectNode();
        // Many servers behind experts know no developer role; it means what system meant before it.
        message.put("role", role.equals("developer") ? "system" : role);
        JsonNode content = item.get("content");
        if (!role.equals("user") || content.isString() || !hasImage(content)) {
            message.put("content", joinedText(content));
            return message;
        }
        ArrayNode parts = message.putArray("content");
        for (JsonNode part : content) {
            if (part.path("type").asString().equals("input_image")) {
                ObjectNode image = parts.addObject().put("type", "image_url").putObject("image_url");
                image.put("url", part.path("image_url").asString());
                if (part.path("detail").isString()) {
                    image.put("detail", part.path("detail").asString());
                }
            } else {
                parts.addObject().put("type", "text").put("text", part.path("text").asString(""));
            }
        }
        return message;
    }

    private static boolean hasImage(JsonNode content) {
        for (JsonNode part : content) {
            if (part.path("type").asString().equals("input_image")) {
                return true;
            }
        }
        return false;
    }

    /** A string as it is, or the text of a list of parts, joined. */
    private static String joinedText(@Nullable JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isString()) {
            return content.asString();
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode part : content) {
            String text = part.path(part.has("refusal") ? "refusal" : "text").asString("");
            if (!text.isEmpty()) {
                texts.add(text);
            }
        }
        return String.join("\n", texts);
    }

    private static @Nullable String text(ObjectNode source, String field) {
        JsonNode value = source.get(field);
        return ResponseRequest.present(value) ? value.asString() : null;
    }

    private static void copy(JsonNode from, String field, ObjectNode to) {
        JsonNode value = from.get(field);
        if (ResponseRequest.present(value)) {
            to.set(field, value.deepCopy());
        }
    }
}
