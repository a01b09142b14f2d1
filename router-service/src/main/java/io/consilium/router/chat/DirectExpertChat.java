package io.consilium.router.chat;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Modality;
import io.consilium.router.api.ApiException;
import io.consilium.router.api.ExpertFailures;
import io.consilium.router.auth.TokenMeter;
import io.consilium.router.calls.ExpertCalls;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.feedback.CompletionLog;
import io.consilium.router.routing.TokenEstimate;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
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
    private final Duration circuitRetryAfter;

    DirectExpertChat(ExpertRegistry registry, ExpertCalls calls, ChatAnswers answers, CompletionLog completions,
            ConsiliumProperties properties) {
        this.registry = registry;
        this.calls = calls;
        this.answers = answers;
        this.completions = completions;
        this.circuitRetryAfter = properties.resilience().openStateWait();
    }

    /** The enabled expert the request names, checked against what the request carries and how long it is. */
    Expert resolve(ChatRequest request) {
        String model = request.body().path("model").asString();
        Expert expert = registry.find(model).filter(Expert::enabled)
                .orElseThrow(() -> ApiException.modelNotFound(model));
        if (expert.servesEmbeddings()) {
            throw ApiException.invalidRequest("model", "The model '" + model + "' is an embedding expert; it serves"
                    + " /v1/embeddings, not chat completions. GET /v1/models shows what each model serves.");
        }
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
    void stream(Expert expert, ChatRequest request, ChatEvents.Opener opener, long startedNanos)
            throws IOException {
        long callStarted = System.nanoTime();
        ChatStream stream = registry.clientFor(expert).stream(request);
        long overheadMs = Math.max(0, since(startedNanos).minus(since(callStarted)).toMillis());
        try (stream) {
            relay(expert, request, stream, opener, callStarted, overheadMs);
        }
    }

    private void relay(Expert expert, ChatRequest request, ChatStream stream, ChatEvents.Opener opener,
            long callStarted, long overheadMs) throws IOException {
        String id = CompletionLog.newId();
        ChatEvents events = opener.open(EXPERTS_HEADER, expert.id(), OVERHEAD_HEADER, Long.toString(overheadMs));
        ChunkRelay chunks = new ChunkRelay(events, id, null, request.asksForStreamUsage());
        try {
            chunks.relay(null, stream);
        } catch (ExpertException e) {
            events.error(ExpertFailures.toApiException(e, circuitRetryAfter));
            return;
        } catch (IOException clientGone) {
            // The stream is closed on the way out, which ends its call as client_gone.
            log.debug("Client left during a stream from expert {}", expert.id());
            return;
        }
        Duration latency = since(callStarted);
        TokenMeter.add(expert, chunks.usage());
        completions.remember(id, List.of(expert.id()), request.lastUserText());
        chunks.finish(ConsiliumMetadata.direct(
                new ExpertCall(expert, 1.0, latency.toMillis(), chunks.usage(), CallOutcome.OK), overheadMs));
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** A complete answer and the time the service itself spent on it. */
    record Answer(ObjectNode body, long overheadMs) {}
}
