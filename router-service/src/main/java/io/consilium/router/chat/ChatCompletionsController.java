package io.consilium.router.chat;

import io.consilium.registry.ChatRequest;
import io.consilium.router.config.ConsiliumProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST /v1/chat/completions}: OpenAI chat completions, streamed or not. */
@RestController
class ChatCompletionsController {

    private final ChatRequestValidator validator;
    private final ChatDispatch dispatch;

    ChatCompletionsController(ChatDispatch dispatch, ConsiliumProperties properties) {
        this.validator = new ChatRequestValidator(properties.api().maxMessages());
        this.dispatch = dispatch;
    }

    /**
     * Returns the answer, or null once a stream has been written straight to the response or the client
     * has hung up (its expert calls are then cancelled and there is no one to answer).
     */
    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Nullable ResponseEntity<ObjectNode> complete(@RequestBody JsonNode body, HttpServletRequest httpRequest,
            HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        ChatRequest request = validator.validate(body);
        ChatComposition.Answer reply = dispatch.answer(request, httpRequest, response, started);
        return reply == null ? null : answer(reply.body(), reply.experts(), reply.overheadMs());
    }

    private static ResponseEntity<ObjectNode> answer(ObjectNode body, String experts, long overheadMs) {
        return ResponseEntity.ok()
                .header(DirectExpertChat.EXPERTS_HEADER, experts)
                .header(DirectExpertChat.OVERHEAD_HEADER, Long.toString(overheadMs))
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }
}
