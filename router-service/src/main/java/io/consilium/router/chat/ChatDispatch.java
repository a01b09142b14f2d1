package io.consilium.router.chat;

import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import io.consilium.router.api.ClientDisconnects;
import io.consilium.router.auth.Caller;
import io.consilium.router.routing.Router;
import io.consilium.router.routing.RoutingOptions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers a validated chat request the one way every endpoint does: the caller's model grant and token
 * ceiling, then an expert named by id, {@code consilium/route}, or fusion for the other virtual models. The
 * chat endpoint and the endpoints that translate other APIs into chat requests share it.
 */
@Component
public final class ChatDispatch {

    /** The header naming the experts that answered. */
    public static final String EXPERTS_HEADER = DirectExpertChat.EXPERTS_HEADER;
    /** The header with the time the service itself spent on the answer. */
    public static final String OVERHEAD_HEADER = DirectExpertChat.OVERHEAD_HEADER;

    private static final Logger log = LoggerFactory.getLogger(ChatDispatch.class);

    private final ChatRequestValidator validator;
    private final DirectExpertChat direct;
    private final VirtualModelChat virtual;
    private final RouteRelay route;
    private final Router router;
    private final ClientDisconnects disconnects;

    ChatDispatch(DirectExpertChat direct, VirtualModelChat virtual, RouteRelay route, Router router,
            ClientDisconnects disconnects) {
        this.validator = new ChatRequestValidator(Integer.MAX_VALUE);
        this.direct = direct;
        this.virtual = virtual;
        this.route = route;
        this.router = router;
        this.disconnects = disconnects;
    }

    /**
     * Returns the answer, or null once a stream has been written straight to the response (as
     * {@code chat.completion.chunk} events) or the client has hung up (its expert calls are then cancelled
     * and there is no one to answer).
     */
    public @Nullable Reply answer(ChatRequest request, HttpServletRequest httpRequest, HttpServletResponse response,
            long startedNanos) throws IOException {
        Caller caller = Caller.of(httpRequest);
        caller.checkModel(request.body().path("model").asString());
        TokenCeiling.apply(request, caller.maxTokens());
        ClientDisconnects.Watch watch = disconnects.watch(httpRequest);
        try {
            return dispatch(request, response, startedNanos);
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

    private @Nullable Reply dispatch(ChatRequest request, HttpServletResponse response, long started)
            throws IOException {
        String model = request.body().path("model").asString();
        // Read once, here; checked even when nothing is routed, so a bad option is an error rather than ignored.
        RoutingOptions options = router.check(RoutingOptions.parse(request.body().path("consilium")));
        if (Router.ROUTE.equals(model)) {
            if (request.isStream()) {
                route.stream(request, options, response, started);
                return null;
            }
            VirtualModelChat.Answer answer = route.complete(request, options, started);
            return new Reply(answer.body(), answer.experts(), answer.overheadMs());
        }
        if (Router.isVirtual(model)) {
            validator.checkVirtualModel(request);
            if (request.isStream()) {
                virtual.stream(request, model, options, response, started);
                return null;
            }
            VirtualModelChat.Answer answer = virtual.complete(request, model, options, started);
            return new Reply(answer.body(), answer.experts(), answer.overheadMs());
        }
        Expert expert = direct.resolve(request);
        if (request.isStream()) {
            direct.stream(expert, request, response, started);
            return null;
        }
        DirectExpertChat.Answer answer = direct.complete(expert, request, started);
        return new Reply(answer.body(), expert.id(), answer.overheadMs());
    }

    /**
     * A whole {@code chat.completion} with its {@code consilium} object.
     *
     * @param experts the experts that answered, comma-separated, for {@link #EXPERTS_HEADER}
     */
    public record Reply(ObjectNode body, String experts, long overheadMs) {}
}
