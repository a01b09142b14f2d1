package io.consilium.router.chat;

import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import io.consilium.router.routing.Router;
import io.consilium.router.routing.RoutingOptions;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST /v1/chat/completions}: OpenAI chat completions, streamed or not. */
@RestController
class ChatCompletionsController {

    private final ChatRequestValidator validator = new ChatRequestValidator();
    private final DirectExpertChat direct;
    private final VirtualModelChat virtual;

    ChatCompletionsController(DirectExpertChat direct, VirtualModelChat virtual) {
        this.direct = direct;
        this.virtual = virtual;
    }

    /** Returns the answer, or null once a stream has been written straight to the response. */
    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Nullable ResponseEntity<ObjectNode> complete(@RequestBody JsonNode body, HttpServletResponse response)
            throws IOException {
        long started = System.nanoTime();
        ChatRequest request = validator.validate(body);
        String model = request.body().path("model").asString();
        if (Router.isVirtual(model)) {
            if (request.isStream()) {
                virtual.stream(request, model, response, started);
                return null;
            }
            VirtualModelChat.Answer answer = virtual.complete(request, model, started);
            return answer(answer.body(), answer.experts(), answer.overheadMs());
        }
        RoutingOptions.parse(request.body().path("consilium"));
        Expert expert = direct.resolve(request);
        if (request.isStream()) {
            direct.stream(expert, request, response, started);
            return null;
        }
        DirectExpertChat.Answer answer = direct.complete(expert, request, started);
        return answer(answer.body(), expert.id(), answer.overheadMs());
    }

    private static ResponseEntity<ObjectNode> answer(ObjectNode body, String experts, long overheadMs) {
        return ResponseEntity.ok()
                .header(DirectExpertChat.EXPERTS_HEADER, experts)
                .header(DirectExpertChat.OVERHEAD_HEADER, Long.toString(overheadMs))
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }
}
