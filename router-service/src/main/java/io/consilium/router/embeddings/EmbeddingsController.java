package io.consilium.router.embeddings;

import io.consilium.registry.EmbeddingRequest;
import io.consilium.router.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/embeddings}: OpenAI's embeddings API. The chosen expert is in the answer's {@code consilium}
 * object and, as on chat, in the {@value #EXPERTS_HEADER} and {@value #OVERHEAD_HEADER} headers.
 */
@RestController
class EmbeddingsController {

    static final String EXPERTS_HEADER = "x-consilium-experts";
    static final String OVERHEAD_HEADER = "x-consilium-overhead-ms";

    private final EmbeddingRequestValidator validator = new EmbeddingRequestValidator();
    private final Embedder embedder;

    EmbeddingsController(Embedder embedder) {
        this.embedder = embedder;
    }

    @PostMapping(path = "/v1/embeddings", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> embed(@RequestBody JsonNode body, HttpServletRequest httpRequest) {
        long started = System.nanoTime();
        EmbeddingRequest request = validator.validate(body);
        Caller.of(httpRequest).checkModel(request.body().path("model").asString());
        Embedder.Answer answer = embedder.embed(request, started);
        return ResponseEntity.ok()
                .header(EXPERTS_HEADER, answer.expertId())
                .header(OVERHEAD_HEADER, Long.toString(answer.overheadMs()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(answer.body());
    }
}
