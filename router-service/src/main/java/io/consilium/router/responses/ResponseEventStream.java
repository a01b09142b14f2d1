package io.consilium.router.responses;

import io.consilium.registry.Usage;
import io.consilium.router.api.ApiException;
import io.consilium.router.chat.ChatEvents;
import io.consilium.router.chat.SseResponse;
import io.consilium.router.state.StateUnavailableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the chunks of a streamed chat answer into the Responses event sequence as they arrive:
 * {@code response.created}, {@code response.in_progress}, then per output item {@code output_item.added},
 * its text deltas ({@code content_part.added}, {@code output_text.delta}…, {@code output_text.done},
 * {@code content_part.done}) or its argument deltas ({@code function_call_arguments.delta}…,
 * {@code .done}), {@code output_item.done}, and at the end {@code response.completed} with the whole
 * response, its usage and the {@code consilium} object. A failure after the start ends it with
 * {@code response.failed}. Only the answer's first choice is relayed: a response has one.
 */
final class ResponseEventStream implements ChatEvents {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SseResponse events;
    private final ResponseDraft draft;
    private final Consumer<ObjectNode> completed;
    private final List<ObjectNode> items = new ArrayList<>();
    private int sequence;
    private @Nullable ObjectNode message;
    private final StringBuilder text = new StringBuilder();
    /** Function call items by the chat tool call index that streams them, with their arguments so far. */
    private final List<Call> calls = new ArrayList<>();
    private @Nullable Call openCall;
    private Usage usage = Usage.NONE;
    private @Nullable JsonNode consilium;
    private @Nullable String finishReason;
    private @Nullable String completionId;

    private ResponseEventStream(SseResponse events, ResponseDraft draft, Consumer<ObjectNode> completed) {
        this.events = events;
        this.draft = draft;
        this.completed = completed;
    }

    /** Starts the sequence: {@code response.created} and {@code response.in_progress}. */
    static ResponseEventStream start(SseResponse events, ResponseDraft draft, Consumer<ObjectNode> completed)
            throws IOException {
        ResponseEventStream stream = new ResponseEventStream(events, draft, completed);
        ObjectNode started = draft.response("in_progress", NODES.arrayNode(), null, null, null);
        stream.send("response.created", event("response.created").set("response", started));
        stream.send("response.in_progress", event("response.in_progress").set("response", started));
        return stream;
    }

    @Override
    public void chunk(ObjectNode chunk) throws IOException {
        if (chunk.path("id").isString()) {
            completionId = chunk.path("id").asString();
        }
        if (chunk.path("usage").isObject()) {
            usage = Usage.from(chunk.get("usage"));
        }
        if (chunk.has("consilium")) {
            consilium = chunk.get("consilium");
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue;
            }
            JsonNode delta = choice.path("delta");
            String piece = delta.path("content").asString("");
            if (!piece.isEmpty()) {
                textDelta(piece);
            }
            for (JsonNode call : delta.path("tool_calls")) {
                toolCallDelta(call);
            }
            if (choice.path("finish_reason").isString()) {
                finishReason = choice.path("finish_reason").asString();
            }
        }
    }

    @Override
    public void error(ApiException failure) throws IOException {
        ObjectNode response = draft.response("failed", output(), usage, consilium, ResponseDraft.error(failure));
        send("response.failed", event("response.failed").set("response", response));
    }

    @Override
    public void done() throws IOException {
        if (message == null && calls.isEmpty()) {
            // An answer with no text and no calls is still one (empty) message, as OpenAI sends it.
            openMessage();
        }
        closeMessage();
        closeCall();
        ObjectNode metadata = consilium == null ? NODES.objectNode() : ((ObjectNode) consilium).deepCopy();
        if (completionId != null) {
            metadata.put("completion_id", completionId);
        }
        ObjectNode response = draft.response(ResponseDraft.status(finishReason), output(), usage, metadata, null);
        // Kept before the client hears of it, so that a continuation sent at once finds it.
        try {
            completed.accept(response);
        } catch (StateUnavailableException e) {
            error(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "server_error", "state_unavailable", null,
                    e.getMessage(), null));
            return;
        }
        send("response.completed", event("response.completed").set("response", response));
    }

    private void textDelta(String piece) throws IOException {
        if (message == null) {
            closeCall();
            openMessage();
        }
        text.append(piece);
        ObjectNode delta = itemEvent("response.output_text.delta", message).put("content_index", 0).put("delta", piece);
        delta.putArray("logprobs");
        send("response.output_text.delta", delta);
    }

    private void openMessage() throws IOException {
        ObjectNode item = ResponseDraft.message(draft.itemId("msg_"), "", "in_progress");
        message = item;
        items.add(item);
        send("response.output_item.added", event("response.output_item.added")
                .put("output_index", items.size() - 1).set("item", item.deepCopy()));
        send("response.content_part.added", itemEvent("response.content_part.added", item).put("content_index", 0)
                .set("part", ResponseDraft.outputText("")));
    }

    private void closeMessage() throws IOException {
        ObjectNode item = message;
        if (item == null || !item.path("status").asString().equals("in_progress")) {
            return;
        }
        String whole = text.toString();
        ObjectNode done = itemEvent("response.output_text.done", item).put("content_index", 0).put("text", whole);
        done.putArray("logprobs");
        send("response.output_text.done", done);
        send("response.content_part.done", itemEvent("response.content_part.done", item).put("content_index", 0)
                .set("part", ResponseDraft.outputText(whole)));
        ObjectNode finished = ResponseDraft.message(item.path("id").asString(), whole, "completed");
        item.removeAll();
        item.setAll(finished);
        send("response.output_item.done", event("response.output_item.done")
                .put("output_index", items.indexOf(item)).set("item", item.deepCopy()));
    }

    private void toolCallDelta(JsonNode delta) throws IOException {
        int index = delta.path("index").asInt(calls.size());
        Call call = calls.stream().filter(known -> known.index == index).findFirst().orElse(null);
        if (call == null) {
            closeMessage();
            closeCall();
            ObjectNode item = ResponseDraft.functionCall(draft.itemId("fc_"), delta.path("id").asString(""),
                    delta.path("function").path("name").asString(""), "", "in_progress");
            call = new Call(index, item);
            calls.add(call);
            items.add(item);
            openCall = call;
            send("response.output_item.added", event("response.output_item.added")
                    .put("output_index", items.size() - 1).set("item", item.deepCopy()));
        }
        String piece = delta.path("function").path("arguments").asString("");
        if (!piece.isEmpty()) {
            call.arguments.append(piece);
            send("response.function_call_arguments.delta",
                    itemEvent("response.function_call_arguments.delta", call.item).put("delta", piece));
        }
    }

    private void closeCall() throws IOException {
        Call call = openCall;
        if (call == null) {
            return;
        }
        openCall = null;
        String arguments = call.arguments.toString();
        send("response.function_call_arguments.done", itemEvent("response.function_call_arguments.done", call.item)
                .put("name", call.item.path("name").asString()).put("arguments", arguments));
        call.item.put("arguments", arguments);
        call.item.put("status", "completed");
        send("response.output_item.done", event("response.output_item.done")
                .put("output_index", items.indexOf(call.item)).set("item", call.item.deepCopy()));
    }

    private ArrayNode output() {
        ArrayNode output = NODES.arrayNode();
        items.forEach(item -> output.add(item.deepCopy()));
        return output;
    }

    private ObjectNode itemEvent(String type, ObjectNode item) {
        return event(type).put("item_id", item.path("id").asString()).put("output_index", items.indexOf(item));
    }

    private static ObjectNode event(String type) {
        return NODES.objectNode().put("type", type);
    }

    private void send(String type, ObjectNode event) throws IOException {
        event.put("sequence_number", sequence++);
        events.send(type, event);
    }

    private static final class Call {
        final int index;
        final ObjectNode item;
        final StringBuilder arguments = new StringBuilder();

        Call(int index, ObjectNode item) {
            this.index = index;
            this.item = item;
        }
    }
}
