package io.consilium.router.chat;

import io.consilium.router.api.ApiException;
import java.io.IOException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a streamed chat answer goes, chunk by chunk: straight to the client as server-sent events, or to an
 * endpoint that speaks another protocol and translates each chunk as it comes.
 */
public interface ChatEvents {

    /** One {@code chat.completion.chunk}. */
    void chunk(ObjectNode chunk) throws IOException;

    /** The stream broke after it began; nothing follows. */
    void error(ApiException failure) throws IOException;

    /** The answer is complete; nothing follows. */
    void done() throws IOException;

    /** Opens the events once an answer is sure to start: until then a failure can still be an error status. */
    @FunctionalInterface
    interface Opener {

        /** @param headers extra response headers, name then value, e.g. the experts that answer */
        ChatEvents open(String... headers) throws IOException;
    }
}
