package io.consilium.router.responses;

import io.consilium.registry.Usage;
import io.consilium.router.api.ApiException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The response object being made for one request: its id and creation time, and the request's settings it
 * repeats ({@code instructions}, {@code tools}, {@code metadata}, …) in the shape OpenAI's SDKs parse.
 */
final class ResponseDraft {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Pattern ITEM_ID = Pattern.compile("(?:msg|fc|rs|item)_([0-9a-f]{48})_[0-9]+");

    private final String id;
    private final long createdAt;
    private final ResponseRequest request;
    private final AtomicInteger items = new AtomicInteger();

    ResponseDraft(ResponseRequest request) {
        this.id = newId("resp_");
        this.createdAt = Instant.now().getEpochSecond();
        this.request = request;
    }

    String id() {
        return id;
    }

    long createdAt() {
        return createdAt;
    }

    ResponseRequest request() {
        return request;
    }

    /**
     * An id for one of this response's output items ({@code msg_}, {@code fc_}, {@code rs_}, {@code item_}). It names the response, so that
     * an {@code item_reference} to the item finds it without an index of items.
     */
    String itemId(String prefix) {
        return prefix + id.substring("resp_".length()) + "_" + items.getAndIncrement();
    }

    /** The id of the response whose output holds the item, if the id is one of ours. */
    static Optional<String> responseOf(String itemId) {
        Matcher matcher = ITEM_ID.matcher(itemId);
        return matcher.matches() ? Optional.of("resp_" + matcher.group(1)) : Optional.empty();
    }

    /** A fresh id with the given prefix ({@code resp_}, {@code msg_}, {@code fc_}). */
    static String newId(String prefix) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    /**
     * The response object.
     *
     * @param status {@code in_progress}, {@code completed}, {@code incomplete} or {@code failed}
     * @param consilium the routing metadata, once known
     */
    ObjectNode response(String status, ArrayNode output, @Nullable Usage usage, @Nullable JsonNode consilium,
            @Nullable ObjectNode error) {
        ObjectNode body = request.body();
        ObjectNode response = NODES.objectNode();
        response.put("id", id);
        response.put("object", "response");
        response.put("created_at", createdAt);
        response.put("status", status);
        if (error == null) {
            response.putNull("error");
        } else {
            response.set("error", error);
        }
        if (status.equals("incomplete")) {
            response.putObject("incomplete_details").put("reason", "max_output_tokens");
        } else {
            response.putNull("incomplete_details");
        }
        echo(body, "instructions", response);
        Long maxTokens = request.maxOutputTokens();
        if (maxTokens == null) {
            response.putNull("max_output_tokens");
        } else {
            response.put("max_output_tokens", maxTokens);
        }
        response.put("model", request.model());
        response.set("output", output);
        response.put("parallel_tool_calls", body.path("parallel_tool_calls").asBoolean(true));
        if (request.previousResponseId() == null) {
            response.putNull("previous_response_id");
        } else {
            response.put("previous_response_id", request.previousResponseId());
        }
        response.put("store", request.store());
        echo(body, "temperature", response);
        JsonNode format = body.path("text").path("format");
        response.putObject("text").set("format", format.isObject() ? format.deepCopy() : NODES.objectNode().put("type", "text"));
        JsonNode toolChoice = body.get("tool_choice");
        response.set("tool_choice", ResponseRequest.present(toolChoice) ? toolChoice.deepCopy() : NODES.stringNode("auto"));
        JsonNode tools = body.get("tools");
        response.set("tools", ResponseRequest.present(tools) ? tools.deepCopy() : NODES.arrayNode());
        echo(body, "top_p", response);
        response.put("truncation", "disabled");
        if (usage == null) {
            response.putNull("usage");
        } else {
            ObjectNode counts = response.putObject("usage");
            counts.put("input_tokens", usage.promptTokens());
            counts.putObject("input_tokens_details").put("cached_tokens", 0).put("cache_write_tokens", 0);
            counts.put("output_tokens", usage.completionTokens());
            counts.putObject("output_tokens_details").put("reasoning_tokens", 0);
            counts.put("total_tokens", usage.promptTokens() + usage.completionTokens());
        }
        echo(body, "user", response);
        JsonNode metadata = body.get("metadata");
        response.set("metadata", ResponseRequest.present(metadata) ? metadata.deepCopy() : NODES.objectNode());
        if (consilium != null) {
            response.set("consilium", consilium.deepCopy());
        }
        return response;
    }

    /** The {@code error} of a response that failed after its stream began, as OpenAI's SDKs read it. */
    static ObjectNode error(ApiException failure) {
        ObjectNode error = NODES.objectNode();
        error.put("code", failure.status().value() == 429 ? "rate_limit_exceeded" : "server_error");
        error.put("message", failure.getMessage());
        return error;
    }

    /** A finished assistant message item holding the text. */
    static ObjectNode message(String itemId, String text, String status) {
        ObjectNode item = NODES.objectNode();
        item.put("id", itemId);
        item.put("type", "message");
        item.put("status", status);
        item.put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (status.equals("completed")) {
            content.add(outputText(text));
        }
        return item;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = NODES.objectNode();
        part.put("type", "output_text");
        part.put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    /** A function call item. */
    static ObjectNode functionCall(String itemId, String callId, String name, String arguments, String status) {
        ObjectNode item = NODES.objectNode();
        item.put("id", itemId);
        item.put("type", "function_call");
        item.put("status", status);
        item.put("call_id", callId);
        item.put("name", name);
        item.put("arguments", arguments);
        return item;
    }

    /** The output items of a whole chat completion's first choice: its text, then its tool calls. */
    ArrayNode output(JsonNode completion) {
        JsonNode message = completion.path("choices").path(0).path("message");
        ArrayNode output = NODES.arrayNode();
        String text = message.path("content").asString("");
        JsonNode calls = message.path("tool_calls");
        if (!text.isEmpty() || calls.isEmpty()) {
            output.add(message(itemId("msg_"), text, "completed"));
        }
        for (JsonNode call : calls) {
            output.add(functionCall(itemId("fc_"), call.path("id").asString(""),
                    call.path("function").path("name").asString(""),
                    call.path("function").path("arguments").asString(""), "completed"));
        }
        return output;
    }

    /** {@code incomplete} when the answer was cut at the token limit, else {@code completed}. */
    static String status(@Nullable String finishReason) {
        return "length".equals(finishReason) ? "incomplete" : "completed";
    }

    private static void echo(ObjectNode from, String field, ObjectNode to) {
        JsonNode value = from.get(field);
        if (ResponseRequest.present(value)) {
            to.set(field, value.deepCopy());
        } else {
            to.putNull(field);
        }
    }
}
