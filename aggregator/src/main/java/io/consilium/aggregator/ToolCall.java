package io.consilium.aggregator;

import io.consilium.aggregator.internal.CanonicalJson;
import io.consilium.registry.ChatCompletion;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A call to one of the client's functions that a model answered with, in the OpenAI chat shape
 * ({@code {"id", "type": "function", "function": {"name", "arguments"}}}).
 *
 * @param id the call's id, which the client echoes in its tool message; may be empty
 * @param name the function called
 * @param arguments the arguments as the model wrote them: a JSON object in a string, not necessarily valid
 */
public record ToolCall(String id, String name, String arguments) {

    /**
     * The function calls of an OpenAI {@code tool_calls} array, in order; none when the node is missing, null or
     * not an array. Entries of another type than {@code function} are not read. Arguments sent as a JSON value
     * instead of a string, as some providers do, are taken as that value written out; missing ones as {@code {}}.
     */
    public static List<ToolCall> read(JsonNode toolCalls) {
        if (!toolCalls.isArray()) {
            return List.of();
        }
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode entry : toolCalls) {
            JsonNode function = entry.path("function");
            String type = entry.path("type").asString("function");
            if (!function.isObject() || !type.equals("function")) {
                continue;
            }
            JsonNode arguments = function.path("arguments");
            String raw = arguments.isString() ? arguments.asString()
                    : arguments.isMissingNode() || arguments.isNull() ? "{}" : arguments.toString();
            calls.add(new ToolCall(entry.path("id").asString(""), function.path("name").asString(""), raw));
        }
        return List.copyOf(calls);
    }

    /** The tool calls of the first choice of a chat completion; none when it made none. */
    public static List<ToolCall> inCompletion(ChatCompletion completion) {
        return read(completion.body().path("choices").path(0).path("message").path("tool_calls"));
    }

    /** The calls as an OpenAI {@code tool_calls} array, as {@link #read} reads them. */
    public static ArrayNode write(List<ToolCall> calls) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        calls.forEach(call -> array.add(call.toJson()));
        return array;
    }

    /** This call as one entry of an OpenAI {@code tool_calls} array. */
    public ObjectNode toJson() {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("id", id).put("type", "function");
        entry.putObject("function").put("name", name).put("arguments", arguments);
        return entry;
    }

    /**
     * The arguments in a form that is equal for equal arguments however they were written: keys sorted, no white
     * space, numbers without trailing zeros. Arguments that are not JSON stay as they were written.
     */
    public String canonicalArguments() {
        return CanonicalJson.of(arguments).orElse(arguments);
    }
}
