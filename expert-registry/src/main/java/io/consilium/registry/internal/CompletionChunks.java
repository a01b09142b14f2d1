package io.consilium.registry.internal;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/** Builds OpenAI {@code chat.completion.chunk} bodies for clients that translate other protocols. */
final class CompletionChunks {

    private CompletionChunks() {}

    /**
     * Adds the single choice of a chunk to an envelope that already holds id, object, created and model.
     *
     * @param fillDelta writes the delta (role, content)
     * @param finishReason null while the answer goes on
     */
    static ObjectNode withChoice(ObjectNode envelope, Consumer<ObjectNode> fillDelta, @Nullable String finishReason) {
        return withChoice(envelope, 0, fillDelta, finishReason);
    }

    /** As {@link #withChoice(ObjectNode, Consumer, String)}, for the choice at this index of an answer with several. */
    static ObjectNode withChoice(ObjectNode envelope, int index, Consumer<ObjectNode> fillDelta,
            @Nullable String finishReason) {
        ObjectNode choice = envelope.putArray("choices").addObject();
        choice.put("index", index);
        fillDelta.accept(choice.putObject("delta"));
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return envelope;
    }
}
