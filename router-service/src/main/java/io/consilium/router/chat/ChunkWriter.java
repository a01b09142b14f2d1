package io.consilium.router.chat;

import io.consilium.registry.Usage;
import java.io.IOException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Writes the chunks of one streamed answer, all with the same id, creation time and model. */
final class ChunkWriter {

    private final SseResponse events;
    private final JsonMapper json;
    private final String id;
    private final long created;
    private final String model;

    ChunkWriter(SseResponse events, JsonMapper json, String id, long created, String model) {
        this.events = events;
        this.json = json;
        this.id = id;
        this.created = created;
        this.model = model;
    }

    void role() throws IOException {
        ObjectNode chunk = envelope();
        choice(chunk).putObject("delta").put("role", "assistant").put("content", "");
        events.send(chunk);
    }

    void content(String text) throws IOException {
        ObjectNode chunk = envelope();
        choice(chunk).putObject("delta").put("content", text);
        events.send(chunk);
    }

    void finish() throws IOException {
        ObjectNode chunk = envelope();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", "stop");
        events.send(chunk);
    }

    /** The last chunk: no choices, the summed usage and the {@code consilium} object. */
    ObjectNode metadataChunk(Usage usage, ObjectNode metadata) {
        ObjectNode chunk = envelope();
        chunk.putArray("choices");
        ChatAnswers.putUsage(chunk, usage);
        chunk.set("consilium", metadata);
        return chunk;
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
