package io.consilium.router.messages;

import io.consilium.router.api.ApiException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Translates an Anthropic Messages request into the chat completions body the chat core answers. Every field
 * is either translated or refused with a 400 naming it: a field silently dropped would change the answer
 * without the caller knowing.
 */
final class MessagesRequest {

    /** The fields of a request that are translated; any other is refused. */
    private static final Set<String> FIELDS = Set.of("model", "max_tokens", "messages", "system", "stop_sequences",
            "temperature", "top_p", "tools", "tool_choice", "metadata", "stream", "consilium");
    /** Why the fields Anthropic knows but Consilium cannot honour are refused. */
    private static final Map<String, String> UNSUPPORTED = new TreeMap<>(Map.of(
            "top_k", "chat experts have no top_k; use temperature or top_p",
            "thinking", "extended thinking is not offered by the experts behind this endpoint",
            "container", "there are no code execution containers here",
            "mcp_servers", "MCP servers are not connected by this endpoint",
            "service_tier", "there are no service tiers here",
            "context_management", "context management is not offered here",
            "output_format", "structured output is not offered on this endpoint; use /v1/chat/completions",
            "output_config", "output configuration is not offered on this endpoint; use /v1/chat/completions",
            "inference_geo", "there is no inference geography here"));

    private final JsonMapper json;

    MessagesRequest(JsonMapper json) {
        this.json = json;
    }

    /** The chat completions body for the request, or a 400 naming the first field that cannot be translated. */
    ObjectNode toChat(JsonNode body) {
        if (!(body instanceof ObjectNode request)) {
            throw ApiException.invalidRequest(null, "The request body must be a JSON object.");
        }
        for (String field : request.propertyNames()) {
            if (UNSUPPORTED.containsKey(field)) {
                throw ApiException.invalidRequest(field, "'" + field + "' is not supported: " + UNSUPPORTED.get(field) + ".");
            }
            if (!FIELDS.contains(field)) {
                throw ApiException.invalidRequest(field, "'" + field + "' is not a supported field of a Messages request.");
            }
        }
        ObjectNode chat = json.createObjectNode();
        chat.put("model", requireString(request, "model"));
        JsonNode maxTokens = request.get("max_tokens");
        if (maxTokens == null || !maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt() || maxTokens.asInt() < 1) {
            throw ApiException.invalidRequest("max_tokens", "'max_tokens' is required and must be a positive integer.");
        }
        chat.put("max_tokens", maxTokens.asInt());
        ArrayNode messages = chat.putArray("messages");
        String system = system(request.get("system"));
        if (system != null) {
            messages.addObject().put("role", "system").put("content", system);
        }
        JsonNode turns = request.get("messages");
        if (turns == null || !turns.isArray() || turns.isEmpty()) {
            throw ApiException.invalidRequest("messages", "'messages' is required and must be a non-empty array.");
        }
        for (int i = 0; i < turns.size(); i++) {
            translateTurn(turns.get(i), "messages[" + i + "]", messages);
        }
        stopSequences(request.get("stop_sequences"), chat);
        number(request, "temperature", 0, 1, chat);
        number(request, "top_p", 0, 1, chat);
        boolean hasTools = tools(request.get("tools"), chat);
        toolChoice(request.get("tool_choice"), hasTools, chat);
        metadata(request.get("metadata"), chat);
        JsonNode stream = request.get("stream");
        if (stream != null && !stream.isNull()) {
            if (!stream.isBoolean()) {
                throw ApiException.invalidRequest("stream", "'stream' must be a boolean.");
            }
            if (stream.asBoolean()) {
                chat.put("stream", true);
                // The closing message_delta carries the usage, so the chat stream must end with it.
                chat.putObject("stream_options").put("include_usage", true);
            }
        }
        JsonNode consilium = request.get("consilium");
        if (consilium != null && !consilium.isNull()) {
            chat.set("consilium", consilium);
        }
        return chat;
    }

    private static String requireString(ObjectNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || !value.isString() || value.asString().isBlank()) {
            throw ApiException.invalidRequest(field, "'" + field + "' is required and must be a non-empty string.");
        }
        return value.asString();
    }

    /** The system prompt as one text: a string, or its text blocks joined by blank lines. */
    private static @Nullable String system(@Nullable JsonNode system) {
        if (system == null || system.isNull()) {
            return null;
        }
        if (system.isString()) {
            return system.asString();
        }
        if (!system.isArray()) {
            throw ApiException.invalidRequest("system", "'system' must be a string or an array of text blocks.");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = system.get(i);
            if (!"text".equals(block.path("type").asString("")) || !block.path("text").isString()) {
                throw ApiException.invalidRequest("system[" + i + "]", "'system[" + i + "]' must be a text block"
                        + " ({\"type\": \"text\", \"text\": \"…\"}).");
            }
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(block.path("text").asString());
        }
        return text.toString();
    }

    private void translateTurn(JsonNode turn, String at, ArrayNode messages) {
        if (!turn.isObject()) {
            throw ApiException.invalidRequest(at, "'" + at + "' must be an object with a role and content.");
        }
        String role = turn.path("role").asString("");
        JsonNode content = turn.get("content");
        if (content == null || !(content.isString() || content.isArray())) {
            throw ApiException.invalidRequest(at + ".content", "'" + at + ".content' must be a string or an array of"
                    + " content blocks.");
        }
        switch (role) {
            case "user" -> user(content, at, messages);
            case "assistant" -> assistant(content, at, messages);
            default -> throw ApiException.invalidRequest(at + ".role", "'" + at + ".role' must be 'user' or 'assistant',"
                    + " but was '" + role + "'. Put system instructions in the top-level 'system' field.");
        }
    }

    /**
     * A user turn: its tool results become chat tool messages, which must follow the assistant's tool calls
     * directly, then the rest of its blocks one user message.
     */
    private void user(JsonNode content, String at, ArrayNode messages) {
        if (content.isString()) {
            messages.addObject().put("role", "user").put("content", content.asString());
            return;
        }
        ArrayNode parts = json.createArrayNode();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            String blockAt = at + ".content[" + i + "]";
            switch (block.path("type").asString("")) {
                case "text" -> parts.addObject().put("type", "text").put("text", text(block, blockAt));
                case "image" -> parts.add(image(block, blockAt));
                case "tool_result" -> messages.add(toolResult(block, blockAt));
                default -> throw unsupportedBlock(block, blockAt, "user");
            }
        }
        if (!parts.isEmpty()) {
            ObjectNode message = messages.addObject().put("role", "user");
            if (parts.size() == 1 && "text".equals(parts.get(0).path("type").asString())) {
                message.put("content", parts.get(0).path("text").asString());
            } else {
                message.set("content", parts);
            }
        }
    }

    /** An assistant turn: its text blocks one content, its tool uses chat tool calls. */
    private void assistant(JsonNode content, String at, ArrayNode messages) {
        ObjectNode message = messages.addObject().put("role", "assistant");
        if (content.isString()) {
            message.put("content", content.asString());
            return;
        }
        StringBuilder text = new StringBuilder();
        ArrayNode calls = json.createArrayNode();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            String blockAt = at + ".content[" + i + "]";
            switch (block.path("type").asString("")) {
                case "text" -> text.append(text(block, blockAt));
                case "tool_use" -> calls.add(toolCall(block, blockAt));
                default -> throw unsupportedBlock(block, blockAt, "assistant");
            }
        }
        if (calls.isEmpty()) {
            message.put("content", text.toString());
        } else {
            if (text.isEmpty()) {
                message.putNull("content");
            } else {
                message.put("content", text.toString());
            }
            message.set("tool_calls", calls);
        }
    }

    private static String text(JsonNode block, String at) {
        if (!block.path("text").isString()) {
            throw ApiException.invalidRequest(at + ".text", "'" + at + ".text' must be a string.");
        }
        return block.path("text").asString();
    }

    /** An image block as a chat image part: a base64 source as a data URL, a URL source as it is. */
    private ObjectNode image(JsonNode block, String at) {
        JsonNode source = block.path("source");
        String url = switch (source.path("type").asString("")) {
            case "base64" -> {
                if (!source.path("media_type").isString() || !source.path("data").isString()) {
                    throw ApiException.invalidRequest(at + ".source", "'" + at + ".source' of type base64 needs"
                            + " 'media_type' and 'data' strings.");
                }
                yield "data:" + source.path("media_type").asString() + ";base64," + source.path("data").asString();
            }
            case "url" -> {
                if (!source.path("url").isString()) {
                    throw ApiException.invalidRequest(at + ".source.url", "'" + at + ".source.url' must be a string.");
                }
                yield source.path("url").asString();
            }
            default -> throw ApiException.invalidRequest(at + ".source.type", "'" + at + ".source.type' must be"
                    + " 'base64' or 'url'; other image sources (files) are not supported.");
        };
        ObjectNode part = json.createObjectNode().put("type", "image_url");
        part.putObject("image_url").put("url", url);
        return part;
    }

    /** A tool result as a chat tool message; an error result says so in its text, since chat has no flag for it. */
    private ObjectNode toolResult(JsonNode block, String at) {
        if (!block.path("tool_use_id").isString()) {
            throw ApiException.invalidRequest(at + ".tool_use_id", "'" + at + ".tool_use_id' must be a string.");
        }
        JsonNode content = block.get("content");
        String text;
        if (content == null || content.isNull()) {
            text = "";
        } else if (content.isString()) {
            text = content.asString();
        } else if (content.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < content.size(); i++) {
                JsonNode part = content.get(i);
                String partAt = at + ".content[" + i + "]";
                if (!"text".equals(part.path("type").asString(""))) {
                    throw ApiException.invalidRequest(partAt + ".type", "'" + partAt + ".type' must be 'text': a tool"
                            + " result reaches the experts as a chat tool message, which holds text only.");
                }
                if (!joined.isEmpty()) {
                    joined.append("\n");
                }
                joined.append(text(part, partAt));
            }
            text = joined.toString();
        } else {
            throw ApiException.invalidRequest(at + ".content", "'" + at + ".content' must be a string or an array of"
                    + " text blocks.");
        }
        JsonNode isError = block.get("is_error");
        if (isError != null && !isError.isNull() && !isError.isBoolean()) {
            throw ApiException.invalidRequest(at + ".is_error", "'" + at + ".is_error' must be a boolean.");
        }
        if (isError != null && isError.asBoolean(false)) {
            text = "Error: " + text;
        }
        return json.createObjectNode().put("role", "tool").put("tool_call_id", block.path("tool_use_id").asString())
                .put("content", text);
    }

    private ObjectNode toolCall(JsonNode block, String at) {
        if (!block.path("id").isString() || !block.path("name").isString()) {
            throw ApiException.invalidRequest(at, "'" + at + "' needs 'id' and 'name' strings.");
        }
        JsonNode input = block.path("input");
        if (!input.isObject()) {
            throw ApiException.invalidRequest(at + ".input", "'" + at + ".input' must be an object.");
        }
        ObjectNode call = json.createObjectNode().put("id", block.path("id").asString()).put("type", "function");
        call.putObject("function").put("name", block.path("name").asString())
                .put("arguments", json.writeValueAsString(input));
        return call;
    }

    private static ApiException unsupportedBlock(JsonNode block, String at, String role) {
        String type = block.path("type").asString("");
        String allowed = "user".equals(role) ? "'text', 'image' and 'tool_result'" : "'text' and 'tool_use'";
        return ApiException.invalidRequest(at + ".type", "'" + at + ".type' is '" + type + "', which is not supported"
                + " in a " + role + " turn here; " + allowed + " blocks are.");
    }

    private static void stopSequences(@Nullable JsonNode stops, ObjectNode chat) {
        if (stops == null || stops.isNull()) {
            return;
        }
        if (!stops.isArray()) {
            throw ApiException.invalidRequest("stop_sequences", "'stop_sequences' must be an array of strings.");
        }
        for (JsonNode stop : stops) {
            if (!stop.isString()) {
                throw ApiException.invalidRequest("stop_sequences", "'stop_sequences' must be an array of strings.");
            }
        }
        if (!stops.isEmpty()) {
            chat.set("stop", stops);
        }
    }

    private static void number(ObjectNode request, String field, double min, double max, ObjectNode chat) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a number from " + (int) min + " to "
                    + (int) max + ".");
        }
        chat.set(field, value);
    }

    /** Custom tools as chat functions; Anthropic's server tools (a {@code type} other than custom) are refused. */
    private boolean tools(@Nullable JsonNode tools, ObjectNode chat) {
        if (tools == null || tools.isNull()) {
            return false;
        }
        if (!tools.isArray()) {
            throw ApiException.invalidRequest("tools", "'tools' must be an array.");
        }
        if (tools.isEmpty()) {
            return false;
        }
        ArrayNode functions = chat.putArray("tools");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools[" + i + "]";
            String type = tool.path("type").asString("custom");
            if (!"custom".equals(type)) {
                throw ApiException.invalidRequest(at + ".type", "'" + at + ".type' is '" + type + "': server tools"
                        + " are not supported; only custom tools (name, description, input_schema) are.");
            }
            if (!tool.path("name").isString() || tool.path("name").asString().isBlank()) {
                throw ApiException.invalidRequest(at + ".name", "'" + at + ".name' must be a non-empty string.");
            }
            if (!tool.path("input_schema").isObject()) {
                throw ApiException.invalidRequest(at + ".input_schema", "'" + at + ".input_schema' must be a JSON"
                        + " schema object.");
            }
            ObjectNode function = functions.addObject().put("type", "function").putObject("function");
            function.put("name", tool.path("name").asString());
            if (tool.path("description").isString()) {
                function.put("description", tool.path("description").asString());
            }
            function.set("parameters", tool.get("input_schema"));
        }
        return true;
    }

    private static void toolChoice(@Nullable JsonNode choice, boolean hasTools, ObjectNode chat) {
        if (choice == null || choice.isNull()) {
            return;
        }
        String type = choice.path("type").asString("");
        switch (type) {
            case "auto" -> chat.put("tool_choice", "auto");
            case "any" -> chat.put("tool_choice", "required");
            case "none" -> chat.put("tool_choice", "none");
            case "tool" -> {
                if (!choice.path("name").isString()) {
                    throw ApiException.invalidRequest("tool_choice.name", "'tool_choice.name' must name a tool.");
                }
                chat.putObject("tool_choice").put("type", "function").putObject("function")
                        .put("name", choice.path("name").asString());
            }
            default -> throw ApiException.invalidRequest("tool_choice.type", "'tool_choice.type' must be 'auto',"
                    + " 'any', 'tool' or 'none'.");
        }
        if (!hasTools && !"none".equals(type)) {
            throw ApiException.invalidRequest("tool_choice", "'tool_choice' needs 'tools'.");
        }
        JsonNode parallel = choice.get("disable_parallel_tool_use");
        if (parallel != null && !parallel.isNull()) {
            if (!parallel.isBoolean()) {
                throw ApiException.invalidRequest("tool_choice.disable_parallel_tool_use",
                        "'tool_choice.disable_parallel_tool_use' must be a boolean.");
            }
            if (parallel.asBoolean() && hasTools) {
                chat.put("parallel_tool_calls", false);
            }
        }
    }

    private static void metadata(@Nullable JsonNode metadata, ObjectNode chat) {
        if (metadata == null || metadata.isNull()) {
            return;
        }
        if (!metadata.isObject()) {
            throw ApiException.invalidRequest("metadata", "'metadata' must be an object.");
        }
        for (String field : metadata.propertyNames()) {
            if (!"user_id".equals(field)) {
                throw ApiException.invalidRequest("metadata." + field, "'metadata." + field + "' is not supported;"
                        + " 'metadata' holds only 'user_id'.");
            }
        }
        JsonNode user = metadata.get("user_id");
        if (user != null && !user.isNull()) {
            if (!user.isString()) {
                throw ApiException.invalidRequest("metadata.user_id", "'metadata.user_id' must be a string.");
            }
            chat.put("user", user.asString());
        }
    }
}
