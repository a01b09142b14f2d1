package io.consilium.router.embeddings;

import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillScore;
import io.consilium.registry.EmbeddingRequest;
import io.consilium.registry.Embeddings;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.router.api.ApiException;
import io.consilium.router.auth.TokenMeter;
import io.consilium.router.calls.ExpertCalls;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.routing.Router;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers a validated embeddings request: finds the one expert for it (named as {@code model}, or chosen by
 * domain for {@code consilium/route} and {@code consilium/auto}), calls it through {@link ExpertCalls}, and writes
 * OpenAI's answer with a {@code consilium} object naming the expert. Used by the HTTP endpoint and the Batch API.
 */
@Component
public final class Embedder {

    private final ExpertRegistry registry;
    private final ExpertCalls calls;
    private final DomainRouting routing;
    private final JsonMapper json;
    private final Duration circuitRetryAfter;

    Embedder(ExpertRegistry registry, ExpertCalls calls, QueryClassifier classifier, JsonMapper json,
            ConsiliumProperties properties) {
        this.registry = registry;
        this.calls = calls;
        this.routing = new DomainRouting(classifier);
        this.json = json;
        this.circuitRetryAfter = properties.resilience().openStateWait();
    }

    /**
     * The answer to the request, its tokens added to the caller's count.
     *
     * @throws ApiException for a model that is not an embedding expert or a virtual model, or when no embedding
     *     expert can take the request
     * @throws io.consilium.registry.ExpertException when the expert fails
     */
    public Answer embed(EmbeddingRequest request, long startedNanos) {
        String model = request.body().path("model").asString();
        DomainRouting.Choice choice = Router.isVirtual(model) ? route(request) : direct(model);
        Expert expert = choice.expert();
        checkContext(expert, request);
        long callStarted = System.nanoTime();
        Embeddings embeddings = calls.embed(expert, request);
        Duration latency = since(callStarted);
        long overheadMs = Math.max(0, since(startedNanos).minus(latency).toMillis());
        if (embeddings.vectors().size() != request.inputCount()) {
            throw new io.consilium.registry.ExpertProtocolException(expert.id(), "answered " + embeddings.vectors().size()
                    + " vectors for " + request.inputCount() + " inputs", null);
        }
        TokenMeter.add(expert, embeddings.usage());
        return new Answer(body(request, choice, embeddings, Router.isVirtual(model), latency.toMillis(), overheadMs),
                expert.id(), overheadMs);
    }

    /** An expert named by id: it must be an enabled embedding expert. */
    private DomainRouting.Choice direct(String model) {
        Expert expert = registry.find(model).filter(Expert::enabled)
                .orElseThrow(() -> ApiException.modelNotFound(model));
        if (!expert.servesEmbeddings()) {
            throw ApiException.invalidRequest("model", "The model '" + model + "' is a chat model; /v1/embeddings needs"
                    + " an expert with the role embedding, or consilium/route. GET /v1/models shows what each model serves.");
        }
        return new DomainRouting.Choice(expert, List.of(), List.of());
    }

    /**
     * {@code consilium/route}, and {@code consilium/auto} alike: vectors of different models share no space, so
     * there is nothing to fuse, and every input goes to the one expert chosen by domain.
     */
    private DomainRouting.Choice route(EmbeddingRequest request) {
        if (request.hasTokenInput()) {
            throw ApiException.invalidRequest("input", "Token-id input needs an embedding expert named as 'model':"
                    + " token ids belong to one model's tokenizer, and routing by domain reads text.");
        }
        List<Expert> embedders = registry.enabled().stream().filter(Expert::servesEmbeddings).toList();
        if (embedders.isEmpty()) {
            throw ApiException.invalidRequest("model", "No embedding expert is enabled, so there is nothing to route"
                    + " to; register an expert with the role embedding.");
        }
        List<Expert> healthy = embedders.stream().filter(expert -> registry.health(expert.id()).takesCalls()).toList();
        if (healthy.isEmpty()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable_error", "expert_unavailable",
                    null, "Every embedding expert is unavailable (circuit open or rate limited); try again later.",
                    circuitRetryAfter);
        }
        return routing.choose(healthy, request.texts());
    }

    /** Refused before the call when an input is longer than the expert's declared context window. */
    private static void checkContext(Expert expert, EmbeddingRequest request) {
        if (request.hasTokenInput()) {
            JsonNode input = request.body().path("input");
            if (input.get(0).isArray()) {
                input.forEach(ids -> refuseIfLonger(expert, ids.size()));
            } else {
                refuseIfLonger(expert, input.size());
            }
            return;
        }
        for (String text : request.texts()) {
            refuseIfLonger(expert, (text.length() + 3) / 4);
        }
    }

    private static void refuseIfLonger(Expert expert, long tokens) {
        if (!expert.limits().holds(tokens)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "context_length_exceeded", "input",
                    "An input needs about " + tokens + " tokens, but the expert '" + expert.id() + "' holds context_tokens "
                            + expert.limits().contextTokens() + ". Shorten the input or choose another expert.", null);
        }
    }

    private ObjectNode body(EmbeddingRequest request, DomainRouting.Choice choice, Embeddings embeddings,
            boolean routed, long latencyMs, long overheadMs) {
        EncodingFormat format = EncodingFormat.of(request.body());
        ObjectNode body = json.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        List<float[]> vectors = embeddings.vectors();
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            format.write(item, vectors.get(i));
        }
        body.put("model", choice.expert().id());
        long tokens = embeddings.usage().promptTokens();
        body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        ObjectNode consilium = body.putObject("consilium");
        consilium.put("expert", choice.expert().id());
        consilium.put("strategy", routed ? "route" : "direct");
        consilium.put("dimensions", embeddings.dimensions());
        scores(consilium.putArray("skills"), choice.skills());
        if (routed) {
            scores(consilium.putArray("domain_scores"), choice.domainScores());
        }
        consilium.put("latency_ms", latencyMs);
        consilium.put("router_overhead_ms", overheadMs);
        return body;
    }

    private static void scores(ArrayNode array, List<SkillScore> scores) {
        for (SkillScore score : scores) {
            array.addObject().put("id", score.id()).put("score", Math.round(score.score() * 10_000) / 10_000.0);
        }
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /**
     * @param body OpenAI's embeddings answer with the {@code consilium} object
     * @param expertId the expert that made the vectors
     * @param overheadMs the time the service itself spent on the request
     */
    public record Answer(ObjectNode body, String expertId, long overheadMs) {}
}
