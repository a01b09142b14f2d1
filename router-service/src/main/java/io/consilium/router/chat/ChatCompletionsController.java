package io.consilium.router.chat;

import io.consilium.registry.ChatRequest;
import io.consilium.router.api.ClientDisconnects;
import io.consilium.router.auth.Caller;
import io.consilium.router.config.ConsiliumProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(ChatCompletionsController.class);

    private final ChatRequestValidator validator;
    private final ChatComposition composition;
    private final ClientDisconnects disconnects;
    private final JsonMapper json;

    ChatCompletionsController(ChatComposition composition, ClientDisconnects disconnects, JsonMapper json,
            ConsiliumProperties properties) {
        this.validator = new ChatRequestValidator(properties.api().maxMessages());
        this.composition = composition;
        this.disconnects = disconnects;
        this.json = json;
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
        Caller caller = Caller.of(httpRequest);
        caller.checkModel(request.body().path("model").asString());
        TokenCeiling.apply(request, caller.maxTokens());
        ClientDisconnects.Watch watch = disconnects.watch(httpRequest);
        try {
            return answer(request, response, started);
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

    private @Nullable ResponseEntity<ObjectNode> answer(ChatRequest request, HttpServletResponse response, long started)
            throws IOException {
        ChatComposition.Answer answer = composition.answer(request, SseResponse.opener(response, json), started);
        return answer == null ? null : answer(answer.body(), answer.experts(), answer.overheadMs());
    }

    private static ResponseEntity<ObjectNode> answer(ObjectNode body, String experts, long overheadMs) {
        return ResponseEntity.ok()
                .header(DirectExpertChat.EXPERTS_HEADER, experts)
                .header(DirectExpertChat.OVERHEAD_HEADER, Long.toString(overheadMs))
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }
}
