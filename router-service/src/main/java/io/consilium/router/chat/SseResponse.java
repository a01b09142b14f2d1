package io.consilium.router.chat;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes server-sent events to the client, flushing every event so that nothing is held back: each
 * chunk leaves as soon as the expert sent it.
 */
final class SseResponse {

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
    static SseResponse open(HttpServletResponse response, JsonMapper json, String... headers) throws IOException {
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

    /** Sends one {@code data:} event holding the JSON value. */
    void send(Object value) throws IOException {
        out.write(DATA);
        out.write(json.writeValueAsBytes(value));
        out.write(END_OF_EVENT);
        out.flush();
    }

    /** Sends the {@code [DONE]} sentinel that ends a successful stream. */
    void done() throws IOException {
        out.write(DONE);
        out.flush();
    }
}
