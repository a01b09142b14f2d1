package io.consilium.router.responses;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A response an expert that serves the Responses API made, shown as Consilium's own: everything the upstream said
 * (its output, status, usage and the settings it applied) under Consilium's response id, creation time and model
 * name, the client's own {@code instructions}, {@code metadata}, {@code store} and {@code previous_response_id}
 * (the upstream kept nothing and saw none of them), and item ids of Consilium's, which name the response so that an
 * {@code item_reference} finds the item. One per request: an item keeps its id from the stream's first event to
 * the stored response.
 */
final class ForwardedResponse {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ResponseDraft draft;
    private final Map<String, String> itemIds = new HashMap<>();

    ForwardedResponse(ResponseDraft draft) {
        this.draft = draft;
    }

    ResponseDraft draft() {
        return draft;
    }

    /** The upstream's response object as Consilium's, with the {@code consilium} object when it is known. */
    ObjectNode response(JsonNode upstream, @Nullable ObjectNode consilium) {
        ObjectNode response = upstream.isObject() ? (ObjectNode) upstream.deepCopy() : NODES.objectNode();
        ResponseRequest request = draft.request();
        response.put("id", draft.id());
        response.put("object", "response");
        response.put("created_at", draft.createdAt());
        response.put("model", request.model());
        JsonNode instructions = request.body().get("instructions");
        response.set("instructions", ResponseRequest.present(instructions) ? instructions.deepCopy() : NODES.nullNode());
        if (request.previousResponseId() == null) {
            response.putNull("previous_response_id");
        } else {
            response.put("previous_response_id", request.previousResponseId());
        }
        response.put("store", request.store());
        JsonNode metadata = request.body().get("metadata");
        response.set("metadata", ResponseRequest.present(metadata) ? metadata.deepCopy() : NODES.objectNode());
        ArrayNode output = NODES.arrayNode();
        for (JsonNode item : response.path("output")) {
            output.add(item(item));
        }
        response.set("output", output);
        if (response.path("usage").isObject()) {
            completeUsage((ObjectNode) response.get("usage"));
        }
        if (consilium != null) {
            response.set("consilium", consilium);
        }
        return response;
    }

    /**
     * Fills in the token details that OpenAI's SDKs require and servers other than OpenAI's often leave out, as
     * zeros, as Consilium's own responses give them.
     */
    private static void completeUsage(ObjectNode usage) {
        ObjectNode input = usage.path("input_tokens_details").isObject()
                ? (ObjectNode) usage.get("input_tokens_details") : usage.putObject("input_tokens_details");
        for (String detail : new String[] {"cached_tokens", "cache_write_tokens"}) {
            if (!input.path(detail).isNumber()) {
                input.put(detail, 0);
            }
        }
        ObjectNode output = usage.path("output_tokens_details").isObject()
                ? (ObjectNode) usage.get("output_tokens_details") : usage.putObject("output_tokens_details");
        if (!output.path("reasoning_tokens").isNumber()) {
            output.put("reasoning_tokens", 0);
        }
        if (!usage.path("total_tokens").isNumber()) {
            usage.put("total_tokens", usage.path("input_tokens").asLong(0) + usage.path("output_tokens").asLong(0));
        }
    }

    /** An output item with its id made Consilium's. */
    ObjectNode item(JsonNode upstream) {
        ObjectNode item = upstream.isObject() ? (ObjectNode) upstream.deepCopy() : NODES.objectNode();
        item.put("id", itemId(item.path("id").asString(""), item.path("type").asString("")));
        return item;
    }

    /**
     * A stream event as the client sees it: the response and item it carries made Consilium's, its
     * {@code item_id} too; every other field as the upstream sent it.
     */
    ObjectNode event(ObjectNode upstream) {
        ObjectNode event = upstream.deepCopy();
        if (event.path("response").isObject()) {
            event.set("response", response(event.get("response"), null));
        }
        if (event.path("item").isObject()) {
            event.set("item", item(event.get("item")));
        }
        if (event.path("item_id").isString()) {
            event.put("item_id", itemId(event.path("item_id").asString(), ""));
        }
        return event;
    }

    /** Our id for the upstream's item, made the first time the item is seen. */
    private String itemId(String upstreamId, String type) {
        String prefix = switch (type) {
            case "message" -> "msg_";
            case "function_call" -> "fc_";
            case "reasoning" -> "rs_";
            default -> "item_";
        };
        // An item without an id cannot be told from another; it gets one of its own.
        return upstreamId.isEmpty() ? draft.itemId(prefix) : itemIds.computeIfAbsent(upstreamId, unknown -> draft.itemId(prefix));
    }
}
