package io.consilium.router.chat;

import io.consilium.router.api.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes server-sent events to the client, flushing every event so that nothing is held back: each
 * chunk leaves as soon as the expert sent it.
 */
public final class SseResponse implements ChatEvents {

    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEW_LINE = "\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final JsonMapper json;

    private SseResponse(OutputStream out, JsonMapper json) {
        this.out = out;
        this.json = json;
    }

    /** Commits a 200 event-stream response with the given extra headers (name, value, …). */
    public static SseResponse open(HttpServletResponse response, JsonMapper json, String... headers) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-cache");
        // Tells proxies such as nginx not to buffer the stream either.
        response.setHeader("X-Accel-Buffering", "no");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            response.setHeader(headers[i], headers[i + 1]);
        }
        response.flushBuffer();
        return new SseResponse(response.getOutputStream(), json);
    }

    /** Opens the events for a chat answer on this response. */
    static ChatEvents.Opener opener(HttpServletResponse response, JsonMapper json) {
        return headers -> open(response, json, headers);
    }

    @Override
    public void chunk(ObjectNode chunk) throws IOException {
        send(chunk);
    }

    /** The OpenAI error object as the last event, as OpenAI ends a stream that failed. */
    @Override
    public void error(ApiException failure) throws IOException {
        send(failure.toError());
    }

    /** Sends one event of the given type ({@code event:} line) holding the JSON value. */
    public void send(String event, Object value) throws IOException {
        out.write(EVENT);
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.write(NEW_LINE);
        send(value);
    }

    /** Sends one {@code data:} event holding the JSON value. */
    public void send(Object value) throws IOException {
        out.write(DATA);
        out.write(json.writeValueAsBytes(value));
        out.write(END_OF_EVENT);
        out.flush();
    }

    /** Sends the {@code [DONE]} sentinel that ends a successful stream. */
    @Override
    public void done() throws IOException {
        out.write(DONE);
        out.flush();
    }
}
