package io.consilium.registry.internal;

import io.consilium.registry.ChatStream;
import io.consilium.registry.ExpertProtocolException;
import io.consilium.registry.ExpertServerException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads an OpenAI server-sent-events stream: one JSON object per {@code data:} line until {@code [DONE]} or the
 * body's end. A chat stream's objects are completion chunks, a Responses stream's its events; each protocol says
 * in its own way that the upstream failed mid-answer, which ends the stream with an {@link ExpertServerException}.
 */
final class SseChatStream implements ChatStream {

    /** How the protocol reports a failure inside the stream. */
    enum Protocol {
        /** A chunk holding an {@code error} object, as vLLM and OpenAI send one mid-answer. */
        CHAT,
        /** An {@code error} event, or {@code response.failed} with the response's {@code error}. */
        RESPONSES;

        /** The failure's message, if the object reports one. */
        Optional<String> failure(ObjectNode event) {
            JsonNode error = switch (this) {
                case CHAT -> event.get("error");
                case RESPONSES -> switch (event.path("type").asString("")) {
                    case "error" -> event;
                    case "response.failed" -> event.path("response").path("error");
                    default -> null;
                };
            };
            if (error == null) {
                return Optional.empty();
            }
            String message = error.isObject() ? error.path("message").asString("") : error.asString("");
            return Optional.of(message.isEmpty() ? "no message" : message);
        }
    }

    private final String expertId;
    private final Protocol protocol;
    private final UpstreamResponse answer;
    private final BufferedReader reader;
    private final JsonMapper json;
    private final SecretRedaction redaction;
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean done;

    SseChatStream(String expertId, Protocol protocol, UpstreamResponse answer, JsonMapper json,
            SecretRedaction redaction) {
        this.expertId = expertId;
        this.protocol = protocol;
        this.answer = answer;
        this.reader = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8));
        this.json = json;
        this.redaction = redaction;
    }

    /** Events read so far: a body that ends without any was not a stream. */
    private int events;

    @Override
    public Optional<ObjectNode> next() {
        if (done) {
            return Optional.empty();
        }
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("data:")) {
                    continue; // blank separators, comments, event names, ids
                }
                String data = line.substring(5).trim();
                if (data.equals("[DONE]")) {
                    done = true;
                    return Optional.empty();
                }
                events++;
                return Optional.of(parse(data));
            }
        } catch (IOException e) {
            throw UpstreamErrors.fromIo(expertId, e);
        }
        done = true;
        if (events == 0) {
            throw new ExpertProtocolException(expertId, "stream ended before any event", null);
        }
        // Some servers end without [DONE]; a clean end of the body after events still completes the stream.
        return Optional.empty();
    }

    private ObjectNode parse(String data) {
        JsonNode chunk;
        try {
            chunk = json.readTree(data);
        } catch (JacksonException e) {
            throw new ExpertProtocolException(expertId, "stream chunk is not valid JSON", e);
        }
        if (!chunk.isObject()) {
            throw new ExpertProtocolException(expertId, "stream chunk is not a JSON object", null);
        }
        Optional<String> failure = protocol.failure((ObjectNode) chunk);
        if (failure.isPresent()) {
            throw new ExpertServerException(expertId, 502, "error event in stream: "
                    + UpstreamErrors.shorten(failure.get(), redaction), null);
        }
        return (ObjectNode) chunk;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            // Before the end this drops the connection, so that the upstream stops generating.
            answer.close();
        }
    }
}
