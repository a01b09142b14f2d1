package io.consilium.router.chat;

import io.consilium.registry.Usage;
import io.consilium.aggregator.ToolCall;
import java.io.IOException;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes the chunks of one streamed answer, all with the same id, creation time and model. */
final class ChunkWriter {

    private final ChatEvents events;
    private final JsonMapper json;
    private final String id;
    private final long created;
    private final String model;

    ChunkWriter(ChatEvents events, JsonMapper json, String id, long created, String model) {
        this.events = events;
        this.json = json;
        this.id = id;
        this.created = created;
        this.model = model;
    }

    void role() throws IOException {
        ObjectNode chunk = envelope();
        choice(chunk).putObject("delta").put("role", "assistant").put("content", "");
        events.chunk(chunk);
    }

    void content(String text) throws IOException {
        ObjectNode chunk = envelope();
        choice(chunk).putObject("delta").put("content", text);
        events.chunk(chunk);
    }

    /** The answer's tool calls, each whole in one delta (index, id, type, name and all its arguments). */
    void toolCalls(List<ToolCall> calls) throws IOException {
        ObjectNode chunk = envelope();
        ArrayNode deltas = choice(chunk).putObject("delta").putArray("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            deltas.add(calls.get(i).toJson().put("index", i));
        }
        events.chunk(chunk);
    }

    /** Tool calls as a whole answer holds them ({@code message.tool_calls}), each whole in one delta. */
    void toolCalls(JsonNode calls) throws IOException {
        ObjectNode chunk = envelope();
        ArrayNode deltas = choice(chunk).putObject("delta").putArray("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            deltas.add(((ObjectNode) calls.get(i).deepCopy()).put("index", i));
        }
        events.chunk(chunk);
    }

    /**
     * Ends the answer the way OpenAI ends a stream, with the {@code consilium} object on its last chunk: the
     * finish chunk, then the usage chunk (no choices) when the client asked for usage. No chunk follows the
     * last one OpenAI would send, so clients that accumulate chunks accept the stream.
     */
    void finish(ObjectNode metadata, Usage usage, boolean showUsage, String finishReason) throws IOException {
        ObjectNode finish = envelope();
        ObjectNode choice = finish.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", finishReason);
        if (!showUsage) {
            finish.set("consilium", metadata);
            events.chunk(finish);
            return;
        }
        events.chunk(finish);
        ObjectNode usageChunk = envelope();
        usageChunk.putArray("choices");
        ChatAnswers.putUsage(usageChunk, usage);
        usageChunk.set("consilium", metadata);
        events.chunk(usageChunk);
    }

    private ObjectNode envelope() {
        ObjectNode chunk = json.createObjectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        return chunk;
    }

    private static ObjectNode choice(ObjectNode chunk) {
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putNull("finish_reason");
        return choice;
    }
}
