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

/** Reads an OpenAI server-sent-events stream: one JSON chunk per {@code data:} line until {@code [DONE]}. */
final class SseChatStream implements ChatStream {

    private final String expertId;
    private final UpstreamResponse answer;
    private final BufferedReader reader;
    private final JsonMapper json;
    private final SecretRedaction redaction;
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean done;

    SseChatStream(String expertId, UpstreamResponse answer, JsonMapper json, SecretRedaction redaction) {
        this.expertId = expertId;
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
        if (chunk.has("error")) {
            JsonNode error = chunk.get("error");
            String message = error.isObject() ? error.path("message").asString("") : error.asString("");
            throw new ExpertServerException(expertId, 502, "error event in stream: " + UpstreamErrors.shorten(message, redaction),
                    null);
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
