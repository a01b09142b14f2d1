package io.consilium.router.chat;

import io.consilium.profiler.SkillVector;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import io.consilium.router.cache.CacheScope;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.routing.Router;
import io.consilium.router.routing.RoutingOptions;
import java.io.IOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one way into answering a chat request, whatever protocol it came in: a direct call for an expert id,
 * the routed relay for {@code consilium/route}, recruitment and fusion for {@code consilium/auto}. Endpoints
 * that speak other protocols translate their request to a {@link ChatRequest} and the answer back. The answer
 * cache, when it is on, is asked first ({@link CachedChat}), so all three endpoints share it.
 */
@Component
public final class ChatComposition {

    private final ChatRequestValidator validator;
    private final DirectExpertChat direct;
    private final VirtualModelChat virtual;
    private final RouteRelay route;
    private final Router router;
    private final CachedChat cached;

    ChatComposition(DirectExpertChat direct, VirtualModelChat virtual, RouteRelay route, Router router,
            CachedChat cached, ConsiliumProperties properties) {
        this.cached = cached;
        this.validator = new ChatRequestValidator(properties.api().maxMessages());
        this.direct = direct;
        this.virtual = virtual;
        this.route = route;
        this.router = router;
    }

    /**
     * Answers the request: whole, or, when it asks for a stream, through events opened by {@code opener}
     * (then null is returned). Failures before the answer starts are thrown. The answer comes from the answer
     * cache when it is on and holds one for the request within {@code scope} ({@link CacheScope#NONE}: never);
     * a fresh answer is stored there.
     *
     * @param startedNanos when the request arrived, for the service's own overhead
     */
    public @Nullable Answer answer(ChatRequest request, CacheScope scope, ChatEvents.Opener opener, long startedNanos)
            throws IOException {
        String model = request.body().path("model").asString();
        // Read once, here; checked even when nothing is routed, so a bad option is an error rather than ignored.
        RoutingOptions options = router.check(RoutingOptions.parse(request.body().path("consilium")));
        if (Router.AUTO.equals(model)) {
            validator.checkVirtualModel(request);
        }
        // Resolved before the cache is asked: an expert that is gone or disabled is an error, not a cached answer.
        @Nullable Expert expert = Router.isVirtual(model) ? null : direct.resolve(request);
        if (scope != CacheScope.NONE && cached.isOn()) {
            return cached.answer(request, model, scope, opener, startedNanos,
                    (skills, events) -> compose(request, model, options, expert, skills, events, startedNanos));
        }
        return compose(request, model, options, expert, null, opener, startedNanos);
    }

    /** @param skills the request's skills when the cache classified it already; null to classify while planning */
    private @Nullable Answer compose(ChatRequest request, String model, RoutingOptions options, @Nullable Expert expert,
            @Nullable SkillVector skills, ChatEvents.Opener opener, long startedNanos) throws IOException {
        if (Router.ROUTE.equals(model)) {
            if (request.isStream()) {
                route.stream(request, options, skills, opener, startedNanos);
                return null;
            }
            VirtualModelChat.Answer answer = route.complete(request, options, skills, startedNanos);
            return new Answer(answer.body(), answer.experts(), answer.overheadMs());
        }
        if (expert == null) {
            if (request.isStream()) {
                virtual.stream(request, model, options, skills, opener, startedNanos);
                return null;
            }
            VirtualModelChat.Answer answer = virtual.complete(request, model, options, skills, startedNanos);
            return new Answer(answer.body(), answer.experts(), answer.overheadMs());
        }
        if (request.isStream()) {
            direct.stream(expert, request, opener, startedNanos);
            return null;
        }
        DirectExpertChat.Answer answer = direct.complete(expert, request, startedNanos);
        return new Answer(answer.body(), expert.id(), answer.overheadMs());
    }

    /**
     * The expert the request names by id, checked as a direct call checks it (its {@code consilium} options, an
     * enabled chat expert, the request's images and length within what the expert takes); empty for the virtual
     * models. Endpoints that can hand some experts a request in their own protocol ask this first.
     */
    public Optional<Expert> namedExpert(ChatRequest request) {
        if (Router.isVirtual(request.body().path("model").asString())) {
            return Optional.empty();
        }
        router.check(RoutingOptions.parse(request.body().path("consilium")));
        return Optional.of(direct.resolve(request));
    }

    /**
     * A whole {@code chat.completion} with its {@code consilium} object, the experts that answered and the
     * service's own time (for the {@value #EXPERTS_HEADER} and {@value #OVERHEAD_HEADER} headers).
     */
    public record Answer(ObjectNode body, String experts, long overheadMs) {}

    /** The experts whose answers made the response, comma-separated. */
    public static final String EXPERTS_HEADER = DirectExpertChat.EXPERTS_HEADER;
    /** The time the service itself spent, in milliseconds. */
    public static final String OVERHEAD_HEADER = DirectExpertChat.OVERHEAD_HEADER;
}
