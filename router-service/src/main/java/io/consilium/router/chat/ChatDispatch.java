package io.consilium.router.chat;

import io.consilium.registry.ChatRequest;
import io.consilium.router.api.ClientDisconnects;
import io.consilium.router.auth.Caller;
import io.consilium.router.cache.CacheScope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a validated chat request for an HTTP caller: the caller's model grant and token ceiling, a watch on
 * the client's connection, then the {@link ChatComposition}, streaming as {@code chat.completion.chunk} events
 * straight to the response. The chat endpoint and the endpoints that translate other APIs into chat
 * requests (and their streams back, by wrapping the response) share it.
 */
@Component
public final class ChatDispatch {

    /** The header naming the experts that answered. */
    public static final String EXPERTS_HEADER = ChatComposition.EXPERTS_HEADER;
    /** The header with the time the service itself spent on the answer. */
    public static final String OVERHEAD_HEADER = ChatComposition.OVERHEAD_HEADER;

    private static final Logger log = LoggerFactory.getLogger(ChatDispatch.class);

    private final ChatComposition composition;
    private final ClientDisconnects disconnects;
    private final JsonMapper json;

    ChatDispatch(ChatComposition composition, ClientDisconnects disconnects, JsonMapper json) {
        this.composition = composition;
        this.disconnects = disconnects;
        this.json = json;
    }

    /**
     * Returns the answer, or null once a stream has been written to the response or the client has hung up
     * (its expert calls are then cancelled and there is no one to answer).
     */
    public ChatComposition.@Nullable Answer answer(ChatRequest request, HttpServletRequest httpRequest,
            HttpServletResponse response, long startedNanos) throws IOException {
        Caller caller = Caller.of(httpRequest);
        caller.checkModel(request.body().path("model").asString());
        TokenCeiling.apply(request, caller.maxTokens());
        ClientDisconnects.Watch watch = disconnects.watch(httpRequest);
        try {
            return composition.answer(request, CacheScope.of(httpRequest, response), SseResponse.opener(response, json),
                    startedNanos);
        } catch (RuntimeException | IOException e) {
            if (watch.clientLeft()) {
                log.debug("Client left before its answer was ready; expert calls cancelled ({})", e.toString());
                return null;
            }
            throw e;
        } finally {
            watch.close();
        }
    }
}
