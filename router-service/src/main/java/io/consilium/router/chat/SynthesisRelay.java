package io.consilium.router.chat;

import io.consilium.registry.ChatStream;
import io.consilium.registry.Usage;
import java.io.IOException;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Forwards the text an aggregator streams, piece by piece as it arrives, under the answer's own id,
 * and keeps the usage the aggregator reports at the end.
 */
final class SynthesisRelay {

    private final ChatStream stream;
    private final ChunkWriter chunks;

    SynthesisRelay(ChatStream stream, ChunkWriter chunks) {
        this.stream = stream;
        this.chunks = chunks;
    }

    /** Relays until the aggregator finishes; returns its usage (zero if it reported none). */
    Usage run() throws IOException {
        Usage usage = Usage.NONE;
        for (Optional<ObjectNode> next = stream.next(); next.isPresent(); next = stream.next()) {
            ObjectNode chunk = next.get();
            if (chunk.path("usage").isObject()) {
                usage = Usage.from(chunk.get("usage"));
            }
            for (JsonNode choice : chunk.path("choices")) {
                String piece = choice.path("delta").path("content").asString("");
                if (!piece.isEmpty()) {
                    chunks.content(piece);
                }
            }
        }
        return usage;
    }
}
