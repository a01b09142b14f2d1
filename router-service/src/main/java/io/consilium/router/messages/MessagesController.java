package io.consilium.router.messages;

import io.consilium.registry.ChatRequest;
import io.consilium.router.chat.ChatComposition;
import io.consilium.router.chat.ChatDispatch;
import io.consilium.router.chat.ChatRequestValidator;
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

/**
 * {@code POST /v1/messages}: the Anthropic Messages API. A request is translated into a chat request and
 * answered by the chat core like any other (so an expert id, {@code consilium/route} and {@code consilium/auto}
 * all work, with the same grants, limits and routing), then translated back. The {@code anthropic-version}
 * header is not required and any value is accepted: the answer has the shape of version 2023-06-01.
 */
@RestController
class MessagesController {

    static final String PATH = "/v1/messages";

    private final MessagesRequest requests;
    private final MessageAnswers answers;
    private final ChatRequestValidator validator;
    private final ChatDispatch dispatch;
    private final JsonMapper json;

    MessagesController(ChatDispatch dispatch, JsonMapper json, ConsiliumProperties properties) {
        this.requests = new MessagesRequest(json);
        this.answers = new MessageAnswers(json);
        this.validator = new ChatRequestValidator(properties.api().maxMessages());
        this.dispatch = dispatch;
        this.json = json;
    }

    /** Returns the message, or null once the event stream has been written or the client has hung up. */
    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    @Nullable ResponseEntity<ObjectNode> create(@RequestBody JsonNode body, HttpServletRequest httpRequest,
            HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        ChatRequest request = validator.validate(requests.toChat(body));
        String model = request.body().path("model").asString();
        if (request.isStream()) {
            dispatch.answer(request, httpRequest, new MessageEventStream(response, json, answers, model), started);
            return null;
        }
        ChatComposition.Answer reply = dispatch.answer(request, httpRequest, response, started);
        if (reply == null) {
            return null;
        }
        return ResponseEntity.ok()
                .header(ChatDispatch.EXPERTS_HEADER, reply.experts())
                .header(ChatDispatch.OVERHEAD_HEADER, Long.toString(reply.overheadMs()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(answers.message(reply.body(), model));
    }
}
