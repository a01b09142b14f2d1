package io.consilium.router.models;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.router.api.ApiException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models}: the models a client may name, in OpenAI's list shape. */
@RestController
class ModelsController {

    private final ExpertRegistry registry;

    ModelsController(ExpertRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/v1/models")
    ModelList list() {
        return new ModelList("list", registry.enabled().stream().map(ModelsController::model).toList());
    }

    @GetMapping("/v1/models/{id}")
    Model get(@PathVariable String id) {
        return registry.find(id).filter(Expert::enabled).map(ModelsController::model)
                .orElseThrow(() -> ApiException.modelNotFound(id));
    }

    private static Model model(Expert expert) {
        return new Model(expert.id(), "model", 0, "consilium:" + expert.provider().id());
    }

    /** OpenAI's model object. */
    record Model(String id, String object, long created, String owned_by) {}

    /** OpenAI's list envelope. */
    record ModelList(String object, List<Model> data) {}
}
