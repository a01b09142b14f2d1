package io.consilium.router.chat;

import io.consilium.registry.ChatRequest;
import io.consilium.router.config.ConsiliumProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /v1/chat/completions}: OpenAI chat completions, streamed or not. */
@RestController
class ChatCompletionsController {

    private final ChatRequestValidator validator;
    private final ChatDispatch dispatch;
    private final JsonMapper json;

    ChatCompletionsController(ChatDispatch dispatch, ConsiliumProperties properties, JsonMapper json) {
        this.validator = new ChatRequestValidator(properties.api().maxMessages());
        this.dispatch = dispatch;
        this.json = json;
    }

    /**
     * Writes the answer, unless a stream has been written straight to the response already or the client
     * has hung up (its expert calls are then cancelled and there is no one to answer).
     */
    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    void complete(@RequestBody JsonNode body, HttpServletRequest httpRequest, HttpServletResponse response)
            throws IOException {
        long started = System.nanoTime();
        ChatRequest request = validator.validate(body);
        ChatComposition.Answer reply = dispatch.answer(request, httpRequest, response, started);
        if (reply != null) {
            write(reply, response);
        }
    }

    /**
     * Written here rather than returned through Spring's message converters: the answer is JSON whatever the
     * client accepts, and choosing a converter for it costs more per call than writing it
     * (benchmarks/README.md, "The answer written by the controller").
     */
    private void write(ChatComposition.Answer reply, HttpServletResponse response) throws IOException {
        byte[] bytes = json.writeValueAsBytes(reply.body());
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader(DirectExpertChat.EXPERTS_HEADER, reply.experts());
        response.setHeader(DirectExpertChat.OVERHEAD_HEADER, Long.toString(reply.overheadMs()));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
