package io.consilium.router.responses;

import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ResponsesAnswer;
import io.consilium.registry.ResponsesRequest;
import io.consilium.registry.Usage;
import io.consilium.router.api.ExpertFailures;
import io.consilium.router.calls.ExpertCalls;
import io.consilium.router.chat.ChatAnswers;
import io.consilium.router.chat.ChatComposition;
import io.consilium.router.chat.SseResponse;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.feedback.CompletionLog;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers a {@code /v1/responses} request naming an expert that serves the Responses API by forwarding it to the
 * expert's {@code /responses} endpoint, whole or streamed, instead of translating it to Chat Completions. Consilium
 * keeps the conversation: the upstream gets the whole conversation as input items ({@code previous_response_id}
 * expanded here), {@code store: false}, and no {@code metadata}; its answer comes back as Consilium's response
 * ({@link ForwardedResponse}), with the {@code consilium} object, the key charged for its tokens and the answer
 * remembered for feedback, as a direct chat call is.
 */
@Component
final class NativeResponses {

    private static final Logger log = LoggerFactory.getLogger(NativeResponses.class);

    private final ExpertCalls calls;
    private final ChatAnswers answers;
    private final JsonMapper json;
    private final Duration circuitRetryAfter;

    NativeResponses(ExpertCalls calls, ChatAnswers answers, JsonMapper json, ConsiliumProperties properties) {
        this.calls = calls;
        this.answers = answers;
        this.json = json;
        this.circuitRetryAfter = properties.resilience().openStateWait();
    }

    /**
     * One forwarded request.
     *
     * @param question the text of the conversation's last user message, remembered for feedback
     * @param keep stores the finished response when the request asked for it
     */
    record Forwarding(Expert expert, ResponseDraft draft, ResponsesRequest upstream, String question,
            Consumer<ObjectNode> keep, long startedNanos) {}

    /**
     * The request as the expert gets it: every field the client sent, but the conversation so far in place of
     * {@code input} and {@code previous_response_id} (item ids are Consilium's, so they are left out), nothing
     * stored upstream, no {@code metadata} (it tags Consilium's stored response), and the key's token ceiling when
     * the request set none.
     */
    static ResponsesRequest upstreamRequest(ResponseRequest request, ArrayNode conversation, int maxTokensCeiling) {
        ObjectNode body = request.body().deepCopy();
        ArrayNode input = body.putArray("input");
        for (JsonNode item : conversation) {
            ObjectNode copy = (ObjectNode) item.deepCopy();
            copy.remove("id");
            input.add(copy);
        }
        body.remove("previous_response_id");
        body.remove("metadata");
        body.put("store", false);
        if (maxTokensCeiling > 0 && request.maxOutputTokens() == null) {
            body.put("max_output_tokens", maxTokensCeiling);
        }
        return new ResponsesRequest(body);
    }

    /** The expert's whole response as Consilium's; a failure of the expert is thrown, for the error advice. */
    ResponseEntity<ObjectNode> whole(Forwarding forwarding) {
        long callStarted = System.nanoTime();
        ResponsesAnswer answer = calls.respond(forwarding.expert(), forwarding.upstream());
        Duration latency = since(callStarted);
        long overheadMs = Math.max(0, since(forwarding.startedNanos()).minus(latency).toMillis());
        ObjectNode response = new ForwardedResponse(forwarding.draft()).response(answer.body(),
                metadata(forwarding, answer.usage(), latency, overheadMs));
        forwarding.keep().accept(response);
        return ResponseEntity.ok()
                .header(ChatComposition.EXPERTS_HEADER, forwarding.expert().id())
                .header(ChatComposition.OVERHEAD_HEADER, Long.toString(overheadMs))
                .contentType(MediaType.APPLICATION_JSON)
                .body(response);
    }

    /**
     * Opens the expert's stream and relays its events as they arrive. A failure to open is thrown (the client gets
     * an error status, after the retries the expert's guards allow); once events flow, a failure ends the stream
     * with {@code response.failed}, and a client that leaves ends the relay and the upstream call.
     */
    void stream(Forwarding forwarding, HttpServletResponse httpResponse) {
        long callStarted = System.nanoTime();
        ChatStream upstream = calls.streamResponse(forwarding.expert(), forwarding.upstream());
        long overheadMs = Math.max(0, since(forwarding.startedNanos()).minus(since(callStarted)).toMillis());
        try (upstream) {
            SseResponse events = SseResponse.open(httpResponse, json, ChatComposition.EXPERTS_HEADER,
                    forwarding.expert().id(), ChatComposition.OVERHEAD_HEADER, Long.toString(overheadMs));
            NativeEventRelay relay = new NativeEventRelay(events, forwarding.expert().id(),
                    new ForwardedResponse(forwarding.draft()),
                    usage -> metadata(forwarding, usage, since(callStarted), overheadMs), forwarding.keep());
            try {
                relay.relay(upstream);
            } catch (ExpertException e) {
                relay.failed(ExpertFailures.toApiException(e, circuitRetryAfter));
            }
        } catch (IOException clientGone) {
            // The upstream stream is closed on the way out, which drops its connection and ends its call as client_gone.
            log.debug("Client left during a forwarded Responses stream from expert {}", forwarding.expert().id());
        }
    }

    /** The {@code consilium} object of the answer, once its usage is known: the key charged, the answer remembered. */
    private ObjectNode metadata(Forwarding forwarding, Usage usage, Duration latency, long overheadMs) {
        String completionId = CompletionLog.newId();
        ObjectNode metadata = answers.directMetadata(completionId, forwarding.expert(), forwarding.question(), usage,
                latency.toMillis(), overheadMs);
        metadata.put("completion_id", completionId);
        return metadata;
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
