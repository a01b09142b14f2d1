package io.consilium.router.chat;

import io.consilium.registry.ChatRequest;
import io.consilium.router.config.ConsiliumProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
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
    void complete(HttpServletRequest httpRequest, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        ChatRequest request = validator.validate(read(httpRequest));
        ChatComposition.Answer reply = dispatch.answer(request, httpRequest, response, started);
        if (reply != null) {
            write(reply, response);
        }
    }

    /**
     * The body as JSON, read here rather than through Spring MVC's message converters for the same reason the
     * answer is written here; what cannot be read (not JSON, empty, over the size limit) is refused as the
     * converters refuse it, so the API's error handler answers it alike.
     */
    private JsonNode read(HttpServletRequest httpRequest) {
        JsonNode body;
        try {
            body = json.readTree(httpRequest.getInputStream());
        } catch (IOException | JacksonException e) {
            throw new HttpMessageNotReadableException("The request body could not be read as JSON", e,
                    new ServletServerHttpRequest(httpRequest));
        }
        if (body == null || body.isMissingNode()) {
            throw new HttpMessageNotReadableException("The request body is missing",
                    new ServletServerHttpRequest(httpRequest));
        }
        return body;
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
