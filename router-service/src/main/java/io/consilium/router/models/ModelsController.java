package io.consilium.router.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.router.api.ApiException;
import io.consilium.router.routing.Router;
import io.consilium.router.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models}: the models a client may name, in OpenAI's list shape. */
@RestController
class ModelsController {

    private final ExpertRegistry registry;

    ModelsController(ExpertRegistry registry) {
        this.registry = registry;
    }

    static final String CHAT = "/v1/chat/completions";
    static final String EMBEDDINGS = "/v1/embeddings";
    static final String MESSAGES = "/v1/messages";
    static final String RESPONSES = "/v1/responses";

    /** The virtual models serve chat (routed or fused) and embeddings (routed: vectors cannot be fused). */
    private static final List<Model> VIRTUAL = List.of(
            new Model(Router.AUTO, "model", 0, "consilium", List.of(CHAT, RESPONSES, MESSAGES, EMBEDDINGS), null),
            new Model(Router.ROUTE, "model", 0, "consilium", List.of(CHAT, RESPONSES, MESSAGES, EMBEDDINGS), null));

    /** The models the caller may use. */
    @GetMapping("/v1/models")
    ModelList list(HttpServletRequest request) {
        Caller caller = Caller.of(request);
        List<Model> models = new ArrayList<>(VIRTUAL);
        registry.enabled().stream().map(this::model).forEach(models::add);
        models.removeIf(model -> !caller.mayUse(model.id()));
        return new ModelList("list", models);
    }

    /** A model id may contain a slash ({@code consilium/auto}), so the path is matched whole. */
    @GetMapping("/v1/models/**")
    Model get(HttpServletRequest request) {
        String id = request.getRequestURI().substring("/v1/models/".length());
        Caller.of(request).checkModel(id);
        return VIRTUAL.stream().filter(model -> model.id().equals(id)).findFirst()
                .or(() -> registry.find(id).filter(Expert::enabled).map(this::model))
                .orElseThrow(() -> ApiException.modelNotFound(id));
    }

    private Model model(Expert expert) {
        return new Model(expert.id(), "model", 0, "consilium:" + expert.provider().id(),
                expert.servesEmbeddings() ? List.of(EMBEDDINGS) : List.of(CHAT, RESPONSES, MESSAGES),
                registry.health(expert.id()).name().toLowerCase(Locale.ROOT));
    }

    /**
     * OpenAI's model object, the endpoints the model serves ({@code /v1/chat/completions},
     * {@code /v1/responses} and {@code /v1/messages}, or {@code /v1/embeddings}), so that a client can tell a
     * chat model from an embedding model, and for an expert its health: {@code healthy}, {@code recovering},
     * {@code circuit_open}, {@code rate_limited} or {@code unreachable} (the last three are left out of plans).
     */
    record Model(String id, String object, long created, String owned_by, List<String> endpoints,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String health) {}

    /** OpenAI's list envelope. */
    record ModelList(String object, List<Model> data) {}
}
