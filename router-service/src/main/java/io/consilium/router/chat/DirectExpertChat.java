package io.consilium.router.chat;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Modality;
import io.consilium.registry.Usage;
import io.consilium.router.api.ApiException;
import io.consilium.router.api.ExpertFailures;
import io.consilium.router.auth.TokenMeter;
import io.consilium.router.calls.ExpertCalls;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.feedback.CompletionLog;
import io.consilium.router.routing.TokenEstimate;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Answers a request addressed to one expert by id: one call, resilient, no fusion. */
@Component
final class DirectExpertChat {

    static final String EXPERTS_HEADER = "x-consilium-experts";
    static final String OVERHEAD_HEADER = "x-consilium-overhead-ms";

    private static final Logger log = LoggerFactory.getLogger(DirectExpertChat.class);

    private final ExpertRegistry registry;
    private final ExpertCalls calls;
    private final ChatAnswers answers;
    private final CompletionLog completions;
    private final JsonMapper json;
    private final Duration circuitRetryAfter;

    DirectExpertChat(ExpertRegistry registry, ExpertCalls calls, ChatAnswers answers, CompletionLog completions,
            JsonMapper json, ConsiliumProperties properties) {
        this.registry = registry;
        this.calls = calls;
        this.answers = answers;
        this.completions = completions;
        this.json = json;
        this.circuitRetryAfter = properties.resilience().openStateWait();
    }

    /** The enabled expert the request names, checked against what the request carries and how long it is. */
    Expert resolve(ChatRequest request) {
        String model = request.body().path("model").asString();
        Expert expert = registry.find(model).filter(Expert::enabled)
                .orElseThrow(() -> ApiException.modelNotFound(model));
        if (request.hasImageInput() && !expert.accepts(Modality.IMAGE)) {
            throw ApiException.invalidRequest("messages",
                    "The expert '" + expert.id() + "' does not accept image input; choose an expert with the image modality.");
        }
        // Refused here, before any call: the upstream's own error for an overlong request differs by provider.
        long tokens = TokenEstimate.of(request);
        if (!expert.limits().holds(tokens)) {
            throw ApiException.contextLengthExceeded(tokens, expert.id(), expert.limits().contextTokens());
        }
        return expert;
    }

    /** Calls the expert and returns its answer with the {@code consilium} object added. */
    Answer complete(Expert expert, ChatRequest request, long startedNanos) {
        long callStarted = System.nanoTime();
        ChatCompletion completion = calls.chat(expert, request);
        Duration latency = since(callStarted);
        long overheadMs = Math.max(0, since(startedNanos).minus(latency).toMillis());
        return new Answer(answers.direct(expert, request, completion, latency.toMillis(), overheadMs), overheadMs);
    }

    /**
     * Opens the expert's stream and relays it. A failure to open is thrown (the client gets an error
     * status); once events flow, a failure ends the stream with an error event.
     */
    void stream(Expert expert, ChatRequest request, HttpServletResponse response, long startedNanos)
            throws IOException {
        long callStarted = System.nanoTime();
        ChatStream stream = registry.clientFor(expert).stream(request);
        long overheadMs = Math.max(0, since(startedNanos).minus(since(callStarted)).toMillis());
        try (stream) {
            relay(expert, request, stream, response, callStarted, overheadMs);
        }
    }

    private void relay(Expert expert, ChatRequest request, ChatStream stream, HttpServletResponse response,
            long callStarted, long overheadMs) throws IOException {
        String id = CompletionLog.newId();
        SseResponse events = SseResponse.open(response, json,
                EXPERTS_HEADER, expert.id(), OVERHEAD_HEADER, Long.toString(overheadMs));
        Usage usage = Usage.NONE;
        boolean showUsage = request.asksForStreamUsage();
        @Nullable ObjectNode last = null;
        // A chunk that may end the answer (a finish or the usage chunk) is held until the next one arrives, so that
        // the last of them can carry the consilium object: clients that accumulate chunks accept nothing after it.
        @Nullable ObjectNode held = null;
        try {
            for (Optional<ObjectNode> next = stream.next(); next.isPresent(); next = stream.next()) {
                ObjectNode chunk = next.get();
                last = chunk;
                chunk.put("id", id);
                if (chunk.has("usage") && chunk.get("usage").isObject()) {
                    usage = Usage.from(chunk.get("usage"));
                }
                if (!showUsage) {
                    if (isUsageOnly(chunk)) {
                        continue;
                    }
                    // The expert was asked for usage for the counting's sake; this client sees OpenAI's chunks without it.
                    chunk.remove("usage");
                }
                if (held != null) {
                    events.send(held);
                    held = null;
                }
                if (mayEndTheAnswer(chunk)) {
                    held = chunk;
                } else {
                    events.send(chunk);
                }
            }
        } catch (ExpertException e) {
            events.send(ExpertFailures.toApiException(e, circuitRetryAfter).toError());
            return;
        } catch (IOException clientGone) {
            // The stream is closed on the way out, which ends its call as client_gone.
            log.debug("Client left during a stream from expert {}", expert.id());
            return;
        }
        Duration latency = since(callStarted);
        TokenMeter.add(usage.totalTokens());
        completions.remember(id, List.of(expert.id()), request.lastUserText());
        ObjectNode metadata = ConsiliumMetadata.direct(
                new ExpertCall(expert, 1.0, latency.toMillis(), usage, CallOutcome.OK), overheadMs);
        ObjectNode carrier = held != null ? held : finalChunk(id, last);
        carrier.set("consilium", metadata);
        events.send(carrier);
        events.done();
    }

    /** The chunk OpenAI adds at the end of a stream when asked for usage: no choices, only the usage. */
    private static boolean isUsageOnly(ObjectNode chunk) {
        return chunk.path("usage").isObject() && chunk.path("choices").isEmpty();
    }

    /** A finish chunk or the usage chunk: after one of them OpenAI may send nothing more. */
    private static boolean mayEndTheAnswer(ObjectNode chunk) {
        if (isUsageOnly(chunk)) {
            return true;
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("finish_reason").isString()) {
                return true;
            }
        }
        return false;
    }

    /** For a stream that ended without a finish chunk: an extra chunk with no choices, like a usage chunk. */
    private ObjectNode finalChunk(String id, @Nullable ObjectNode last) {
        ObjectNode chunk = json.createObjectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", last == null ? System.currentTimeMillis() / 1000 : last.path("created").asLong());
        chunk.put("model", last == null ? "" : last.path("model").asString(""));
        chunk.putArray("choices");
        return chunk;
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** A complete answer and the time the service itself spent on it. */
    record Answer(ObjectNode body, long overheadMs) {}
}
