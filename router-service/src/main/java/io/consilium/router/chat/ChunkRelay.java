package io.consilium.router.chat;

import io.consilium.registry.ChatStream;
import io.consilium.registry.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Forwards one expert's stream to the client chunk by chunk, as each arrives, with every field the expert
 * sent (all choices, tool-call deltas, refusals, logprobs) under the answer's own id. A chunk that may end
 * the answer (a finish or the usage chunk) is held until the next one arrives, so that {@link #finish} can
 * put the {@code consilium} object on the last chunk: clients that accumulate chunks accept nothing after it.
 * The expert is always asked for usage, for counting; a client that did not ask sees OpenAI's chunks without it.
 */
final class ChunkRelay {

    private final ChatEvents events;
    private final String id;
    private final @Nullable String model;
    private final boolean showUsage;
    private Usage usage = Usage.NONE;
    private @Nullable ObjectNode last;
    private @Nullable ObjectNode held;
    private final List<String> toolCallIds = new ArrayList<>();

    /**
     * @param model the model name the chunks carry; null keeps the expert's own
     * @param showUsage whether the client asked for usage in the stream
     */
    ChunkRelay(ChatEvents events, String id, @Nullable String model, boolean showUsage) {
        this.events = events;
        this.id = id;
        this.model = model;
        this.showUsage = showUsage;
    }

    /**
     * Relays {@code first} (a chunk already read from the stream, or null) and the rest of the stream.
     *
     * @throws io.consilium.registry.ExpertException when the stream breaks
     * @throws IOException when the client is gone
     */
    void relay(@Nullable ObjectNode first, ChatStream stream) throws IOException {
        if (first != null) {
            forward(first);
        }
        for (Optional<ObjectNode> next = stream.next(); next.isPresent(); next = stream.next()) {
            forward(next.get());
        }
    }

    /** The usage the expert reported, zero if it reported none. */
    Usage usage() {
        return usage;
    }

    /** The ids of the tool calls the expert made, as their first deltas named them. */
    List<String> toolCallIds() {
        return List.copyOf(toolCallIds);
    }

    /** Sends the last chunk with the {@code consilium} object on it, then {@code [DONE]}. */
    void finish(ObjectNode metadata) throws IOException {
        ObjectNode carrier = held != null ? held : finalChunk();
        held = null;
        carrier.set("consilium", metadata);
        events.chunk(carrier);
        events.done();
    }

    private void forward(ObjectNode chunk) throws IOException {
        last = chunk;
        chunk.put("id", id);
        if (model != null) {
            chunk.put("model", model);
        }
        if (chunk.path("usage").isObject()) {
            usage = Usage.from(chunk.get("usage"));
        }
        for (JsonNode choice : chunk.path("choices")) {
            for (JsonNode call : choice.path("delta").path("tool_calls")) {
                if (call.path("id").isString()) {
                    toolCallIds.add(call.path("id").asString());
                }
            }
        }
        if (!showUsage) {
            if (isUsageOnly(chunk)) {
                return;
            }
            chunk.remove("usage");
        }
        if (held != null) {
            events.chunk(held);
            held = null;
        }
        if (mayEndTheAnswer(chunk)) {
            held = chunk;
        } else {
            events.chunk(chunk);
        }
    }

    /** The chunk OpenAI adds at the end of a stream when asked for usage: no choices, only the usage. */
    private static boolean isUsageOnly(ObjectNode chunk) {
        return chunk.path("usage").isObject() && chunk.path("choices").isEmpty();
    }

    /** A finish chunk or the usage chunk: after one of them OpenAI may send nothing more. */
    private static boolean mayEndTheAnswer(ObjectNode chunk) {
        if (isUsageOnly(chunk)) {
            return true;
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("finish_reason").isString()) {
                return true;
            }
        }
        return false;
    }

    /** For a stream that ended without a finish chunk: an extra chunk with no choices, like a usage chunk. */
    private ObjectNode finalChunk() {
        ObjectNode chunk = JsonNodeFactory.instance.objectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", last == null ? System.currentTimeMillis() / 1000 : last.path("created").asLong());
        chunk.put("model", model != null ? model : last == null ? "" : last.path("model").asString(""));
        chunk.putArray("choices");
        return chunk;
    }
}
