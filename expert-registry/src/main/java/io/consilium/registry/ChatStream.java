package io.consilium.registry;

import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * An open streamed answer, read chunk by chunk as the expert sends them: OpenAI {@code chat.completion.chunk}
 * objects, or for {@link ExpertClient#streamResponse} the Responses API's events. Opening it already succeeded,
 * so nothing has reached the client yet when opening fails; a failure while reading is a failure after the
 * first byte. Always close it.
 *
 * <p>A Responses stream reports its usage on its {@code response.completed} event. Every chat expert is asked for its usage in streams, whatever the request's {@code stream_options} say, so
 * that a stream's tokens can be counted: when the expert reports usage, the stream ends with a chunk with no
 * choices and a {@code usage} object, as OpenAI sends it. Code relaying chunks to a client that did not ask
 * for usage ({@link ChatRequest#asksForStreamUsage()}) leaves that chunk out.
 */
public interface ChatStream extends AutoCloseable {

    /**
     * Blocks until the next chunk (or Responses event) arrives.
     *
     * @return the chunk, or empty when the expert finished
     * @throws ExpertException when the stream breaks
     */
    Optional<ObjectNode> next();

    /** Releases the connection; safe to call more than once. */
    @Override
    void close();
}
