package io.consilium.registry;

import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * An open streamed answer, read chunk by chunk as the expert sends them (OpenAI
 * {@code chat.completion.chunk} objects). Opening it already succeeded, so nothing has reached the
 * client yet when {@link ExpertClient#stream} fails; a failure while reading is a failure after the
 * first byte. Always close it.
 */
public interface ChatStream extends AutoCloseable {

    /**
     * Blocks until the next chunk arrives.
     *
     * @return the chunk, or empty when the expert finished
     * @throws ExpertException when the stream breaks
     */
    Optional<ObjectNode> next();

    /** Releases the connection; safe to call more than once. */
    @Override
    void close();
}
