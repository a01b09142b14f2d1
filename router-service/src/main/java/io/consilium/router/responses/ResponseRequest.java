package io.consilium.router.responses;

import io.consilium.router.api.ApiException;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A checked {@code POST /v1/responses} body. The fields Consilium serves are read here; any other field
 * with a value is refused with a 400 naming it, rather than silently ignored: a client that asks for
 * built-in tools, reasoning or background runs must learn that it does not get them. A request forwarded as it is
 * to an expert that serves the Responses API may also carry what that expert's model handles itself
 * ({@link #FORWARDED_ONLY}, {@code text.verbosity}, {@code reasoning} input items); what would need state or tools
 * at the upstream's provider (background runs, stored conversations and prompts, built-in tools, files) is refused
 * there too, since Consilium keeps the conversation and sends the upstream {@code store: false}.
 *
 * @param body the request as sent
 * @param input the request's input items (a string input becomes one user message)
 * @param previousResponseId the stored response this one continues, if any
 */
record ResponseRequest(ObjectNode body, ArrayNode input, @Nullable String previousResponseId) {

    private static final Set<String> SERVED = Set.of("model", "input", "instructions", "tools", "tool_choice", "text",
            "max_output_tokens", "temperature", "top_p", "metadata", "parallel_tool_calls", "user", "stream", "store",
            "previous_response_id", "consilium", "stream_options");
    /** Fields that only a forwarded request carries: the upstream model applies them, the translation could not. */
    static final Set<String> FORWARDED_ONLY = Set.of("reasoning", "include", "truncation", "top_logprobs",
            "max_tool_calls", "service_tier", "prompt_cache_key", "safety_identifier");
    private static final Set<String> TOOL_CHOICES = Set.of("auto", "none", "required");
    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");
    private static final int MAX_METADATA_PAIRS = 16;

    /** A request answered through the translation to Chat Completions. */
    static ResponseRequest parse(JsonNode json) {
        return parse(json, false);
    }

    /**
     * @param forwarded whether the request goes as it is to an expert that serves the Responses API, which may then
     *     carry the fields only such an expert handles
     */
    static ResponseRequest parse(JsonNode json, boolean forwarded) {
        if (!(json instanceof ObjectNode body)) {
            throw ApiException.invalidRequest(null, "The request body must be a JSON object.");
        }
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String name = field.getKey();
            if (!SERVED.contains(name) && !(forwarded && FORWARDED_ONLY.contains(name)) && !field.getValue().isNull()) {
                throw ApiException.invalidRequest(name, "The field '" + name
                        + "' is not supported by this server's Responses API; remove it. Supported: model, input,"
                        + " instructions, function tools, tool_choice, text.format, max_output_tokens, temperature,"
                        + " top_p, metadata, parallel_tool_calls, user, stream, store, previous_response_id, consilium"
                        + (forwarded ? "; and, for this expert, which serves the Responses API itself: "
                                + String.join(", ", FORWARDED_ONLY.stream().sorted().toList()) + ", text.verbosity."
                                : ". Experts that serve the Responses API take more (see GET /v1/models)."));
            }
        }
        if (!body.path("model").isString() || body.path("model").asString().isBlank()) {
            throw ApiException.invalidRequest("model", "'model' is required: a virtual model (consilium/auto,"
                    + " consilium/route) or an expert id.");
        }
        ArrayNode input = input(body.get("input"), forwarded);
        checkOptionalString(body, "instructions");
        checkOptionalString(body, "user");
        checkOptionalBoolean(body, "stream");
        checkOptionalBoolean(body, "store");
        checkOptionalBoolean(body, "parallel_tool_calls");
        checkNumber(body, "temperature", 0, 2);
        checkNumber(body, "top_p", 0, 1);
        JsonNode maxTokens = body.get("max_output_tokens");
        if (present(maxTokens) && (!maxTokens.isIntegralNumber() || maxTokens.asLong() < 1)) {
            throw ApiException.invalidRequest("max_output_tokens", "'max_output_tokens' must be a positive integer.");
        }
        checkMetadata(body.get("metadata"));
        checkTools(body.get("tools"));
        checkToolChoice(body.get("tool_choice"));
        checkText(body.get("text"), forwarded);
        JsonNode streamOptions = body.get("stream_options");
        if (present(streamOptions) && !streamOptions.isObject()) {
            throw ApiException.invalidRequest("stream_options", "'stream_options' must be an object.");
        }
        JsonNode previous = body.get("previous_response_id");
        if (present(previous) && (!previous.isString() || previous.asString().isBlank())) {
            throw ApiException.invalidRequest("previous_response_id", "'previous_response_id' must be a response id.");
        }
        if (input.isEmpty() && !present(previous)) {
            throw ApiException.invalidRequest("input", "'input' is required: a string or a list of input items.");
        }
        return new ResponseRequest(body, input, present(previous) ? previous.asString() : null);
    }

    String model() {
        return body.path("model").asString();
    }

    boolean stream() {
        return body.path("stream").asBoolean(false);
    }

    /** Whether the response is kept for {@code GET} and {@code previous_response_id}; OpenAI's default is yes. */
    boolean store() {
        return body.path("store").asBoolean(true);
    }

    @Nullable Long maxOutputTokens() {
        JsonNode value = body.get("max_output_tokens");
        return present(value) ? value.asLong() : null;
    }

    private static ArrayNode input(@Nullable JsonNode input, boolean forwarded) {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        if (!present(input)) {
            return items;
        }
        if (input.isString()) {
            ObjectNode message = items.addObject();
            message.put("type", "message");
            message.put("role", "user");
            message.putArray("content").addObject().put("type", "input_text").put("text", input.asString());
            return items;
        }
        if (!input.isArray()) {
            throw ApiException.invalidRequest("input", "'input' must be a string or a list of input items.");
        }
        for (int i = 0; i < input.size(); i++) {
            items.add(item(input.get(i), "input[" + i + "]", forwarded));
        }
        return items;
    }

    /** One input item, checked, with its {@code type} made explicit. */
    private static ObjectNode item(JsonNode item, String param, boolean forwarded) {
        if (!(item instanceof ObjectNode object)) {
            throw ApiException.invalidRequest(param, "Each input item must be an object.");
        }
        ObjectNode copy = object.deepCopy();
        String type = object.path("type").asString(object.has("role") ? "message" : "");
        copy.put("type", type);
        switch (type) {
            case "message" -> checkMessage(copy, param);
            case "function_call" -> {
                requireString(copy, "call_id", param);
                requireString(copy, "name", param);
                requireString(copy, "arguments", param);
            }
            case "function_call_output" -> {
                requireString(copy, "call_id", param);
                JsonNode output = copy.get("output");
                if (!present(output) || !(output.isString() || output.isArray())) {
                    throw ApiException.invalidRequest(param + ".output",
                            "A function_call_output needs 'output': a string or a list of content parts.");
                }
            }
            case "item_reference" -> requireString(copy, "id", param);
            // A model's reasoning, sent back so that it can carry on from it: only a Responses upstream reads it.
            case "reasoning" -> {
                if (!forwarded) {
                    throw unsupportedItem(param, type);
                }
            }
            default -> throw unsupportedItem(param, type);
        }
        return copy;
    }

    private static ApiException unsupportedItem(String param, String type) {
        return ApiException.invalidRequest(param + ".type", "The input item type '" + type + "' is not"
                + " supported; use message, function_call, function_call_output or item_reference.");
    }

    private static void checkMessage(ObjectNode message, String param) {
        String role = message.path("role").asString("");
        if (!ROLES.contains(role)) {
            throw ApiException.invalidRequest(param + ".role",
                    "A message's role must be user, assistant, system or developer, but was '" + role + "'.");
        }
        JsonNode content = message.get("content");
        if (present(content) && content.isString()) {
            return;
        }
        if (!present(content) || !content.isArray()) {
            throw ApiException.invalidRequest(param + ".content", "A message's content must be a string or a list of parts.");
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partParam = param + ".content[" + i + "]";
            String type = part.path("type").asString("");
            switch (type) {
                case "input_text", "output_text" -> requireString(part, "text", partParam);
                case "refusal" -> requireString(part, "refusal", partParam);
                case "input_image" -> {
                    if (!role.equals("user")) {
                        throw ApiException.invalidRequest(partParam + ".type", "Images are only accepted in user messages.");
                    }
                    if (!part.path("image_url").isString()) {
                        throw ApiException.invalidRequest(partParam + ".image_url", "An input_image needs 'image_url'"
                                + " (an https or data URL); file_id is not supported.");
                    }
                }
                default -> throw ApiException.invalidRequest(partParam + ".type", "The content part type '" + type
                        + "' is not supported; use input_text or input_image.");
            }
        }
    }

    private static void checkTools(@Nullable JsonNode tools) {
        if (!present(tools)) {
            return;
        }
        if (!tools.isArray()) {
            throw ApiException.invalidRequest("tools", "'tools' must be a list of function tools.");
        }
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String type = tool.path("type").asString("");
            if (!type.equals("function")) {
                throw ApiException.invalidRequest("tools[" + i + "].type", "Only function tools are supported; the"
                        + " built-in tool '" + type + "' is not.");
            }
            requireString(tool, "name", "tools[" + i + "]");
            JsonNode parameters = tool.get("parameters");
            if (present(parameters) && !parameters.isObject()) {
                throw ApiException.invalidRequest("tools[" + i + "].parameters", "A tool's parameters must be a JSON schema object.");
            }
        }
    }

    private static void checkToolChoice(@Nullable JsonNode choice) {
        if (!present(choice)) {
            return;
        }
        if (choice.isString() && TOOL_CHOICES.contains(choice.asString())) {
            return;
        }
        if (choice.isObject() && choice.path("type").asString("").equals("function") && choice.path("name").isString()) {
            return;
        }
        throw ApiException.invalidRequest("tool_choice", "'tool_choice' must be auto, none, required or"
                + " {\"type\": \"function\", \"name\": …}.");
    }

    private static void checkText(@Nullable JsonNode text, boolean forwarded) {
        if (!present(text)) {
            return;
        }
        if (!text.isObject()) {
            throw ApiException.invalidRequest("text", "'text' must be an object with 'format'.");
        }
        for (Map.Entry<String, JsonNode> field : text.properties()) {
            boolean served = field.getKey().equals("format") || forwarded && field.getKey().equals("verbosity");
            if (!served && !field.getValue().isNull()) {
                throw ApiException.invalidRequest("text." + field.getKey(), "'text." + field.getKey()
                        + "' is not supported; only text.format is.");
            }
        }
        JsonNode format = text.get("format");
        if (!present(format)) {
            return;
        }
        String type = format.path("type").asString("");
        switch (type) {
            case "text", "json_object" -> { }
            case "json_schema" -> {
                requireString(format, "name", "text.format");
                if (!format.path("schema").isObject()) {
                    throw ApiException.invalidRequest("text.format.schema", "A json_schema format needs 'schema', a JSON schema object.");
                }
            }
            default -> throw ApiException.invalidRequest("text.format.type",
                    "'text.format.type' must be text, json_object or json_schema, but was '" + type + "'.");
        }
    }

    private static void checkMetadata(@Nullable JsonNode metadata) {
        if (!present(metadata)) {
            return;
        }
        if (!metadata.isObject() || metadata.size() > MAX_METADATA_PAIRS) {
            throw ApiException.invalidRequest("metadata", "'metadata' must be an object of at most " + MAX_METADATA_PAIRS
                    + " string values.");
        }
        for (Map.Entry<String, JsonNode> pair : metadata.properties()) {
            if (!pair.getValue().isString() || pair.getKey().length() > 64 || pair.getValue().asString().length() > 512) {
                throw ApiException.invalidRequest("metadata." + pair.getKey(),
                        "Metadata values must be strings of at most 512 characters, keys at most 64.");
            }
        }
    }

    private static void checkOptionalString(ObjectNode body, String field) {
        if (present(body.get(field)) && !body.get(field).isString()) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a string.");
        }
    }

    private static void checkOptionalBoolean(ObjectNode body, String field) {
        if (present(body.get(field)) && !body.get(field).isBoolean()) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be true or false.");
        }
    }

    private static void checkNumber(ObjectNode body, String field, double min, double max) {
        JsonNode value = body.get(field);
        if (present(value) && (!value.isNumber() || value.asDouble() < min || value.asDouble() > max)) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a number from " + min + " to " + max + ".");
        }
    }

    private static void requireString(JsonNode node, String field, String param) {
        if (!node.path(field).isString()) {
            throw ApiException.invalidRequest(param + "." + field, "'" + field + "' is required and must be a string.");
        }
    }

    static boolean present(@Nullable JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode();
    }
}
