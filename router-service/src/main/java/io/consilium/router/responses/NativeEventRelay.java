package io.consilium.router.responses;

import io.consilium.registry.ChatStream;
import io.consilium.registry.ExpertProtocolException;
import io.consilium.registry.Usage;
import io.consilium.router.api.ApiException;
import io.consilium.router.chat.SseResponse;
import io.consilium.router.state.StateUnavailableException;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Relays the event stream of an expert that serves the Responses API to the client, each event as soon as it
 * arrives, made Consilium's ({@link ForwardedResponse}) and numbered in order. The final event
 * ({@code response.completed}, or {@code response.incomplete} when the answer was cut) carries the
 * {@code consilium} object, and the response is stored before the client hears of it. The upstream's own
 * failure ({@code response.failed}, an {@code error} event, a broken or unfinished stream) ends the stream with
 * Consilium's {@code response.failed}.
 */
final class NativeEventRelay {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SseResponse events;
    private final String expertId;
    private final ForwardedResponse forwarded;
    private final Function<Usage, ObjectNode> metadata;
    private final Consumer<ObjectNode> keep;
    /** The output items finished so far, for the response of a stream that fails. */
    private final ArrayNode finished = NODES.arrayNode();
    private int sequence;

    /**
     * @param metadata the {@code consilium} object for the answer's usage; called once, when the answer is complete
     * @param keep stores the finished response when the request asked for it
     */
    NativeEventRelay(SseResponse events, String expertId, ForwardedResponse forwarded,
            Function<Usage, ObjectNode> metadata, Consumer<ObjectNode> keep) {
        this.events = events;
        this.expertId = expertId;
        this.forwarded = forwarded;
        this.metadata = metadata;
        this.keep = keep;
    }

    /**
     * Relays the stream to its end. It is read to its end even after the final event, so that the call is
     * observed as answered with its usage.
     *
     * @throws io.consilium.registry.ExpertException when the stream breaks or ends without a final event
     * @throws IOException when the client is gone
     */
    void relay(ChatStream upstream) throws IOException {
        boolean ended = false;
        for (Optional<ObjectNode> next = upstream.next(); next.isPresent(); next = upstream.next()) {
            if (ended) {
                continue; // nothing follows a final event for the client
            }
            ObjectNode event = next.get();
            String type = event.path("type").asString("");
            switch (type) {
                case "response.completed", "response.incomplete" -> {
                    ended = true;
                    finish(type, event.path("response"));
                }
                default -> {
                    ObjectNode relayed = forwarded.event(event);
                    if (type.equals("response.output_item.done")) {
                        finished.add(relayed.path("item").deepCopy());
                    }
                    send(type, relayed);
                }
            }
        }
        if (!ended) {
            throw new ExpertProtocolException(expertId, "stream ended before response.completed", null);
        }
    }

    /** Ends the stream with {@code response.failed}, the items finished so far in its output. */
    void failed(ApiException failure) throws IOException {
        ObjectNode response = forwarded.draft().response("failed", finished.deepCopy(), Usage.NONE, null,
                ResponseDraft.error(failure));
        send("response.failed", NODES.objectNode().put("type", "response.failed").set("response", response));
    }

    /** Sends the final event with the whole response, kept first; {@code response.failed} if it could not be kept. */
    private void finish(String type, JsonNode upstreamResponse) throws IOException {
        Usage usage = Usage.fromResponses(upstreamResponse.path("usage"));
        ObjectNode response = forwarded.response(upstreamResponse, metadata.apply(usage));
        // Kept before the client hears of it, so that a continuation sent at once finds it.
        try {
            keep.accept(response);
        } catch (StateUnavailableException e) {
            failed(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "server_error", "state_unavailable", null,
                    e.getMessage(), null));
            return;
        }
        send(type, NODES.objectNode().put("type", type).set("response", response));
    }

    private void send(String type, ObjectNode event) throws IOException {
        event.put("sequence_number", sequence++);
        events.send(type, event);
    }
}
