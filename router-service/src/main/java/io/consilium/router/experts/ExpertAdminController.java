package io.consilium.router.experts;

import io.consilium.registry.ApiKeyUpdate;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.EmbeddingRequest;
import io.consilium.registry.Embeddings;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertNotFoundException;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.InvalidExpertException;
import io.consilium.registry.Secret;
import io.consilium.router.api.ExpertFailures;
import io.consilium.router.api.OpenAiError;
import io.consilium.router.config.ConsiliumProperties;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code /admin/api/experts}: register, change, remove and try experts. Keys are never shown. */
@RestController
@RequestMapping("/admin/api/experts")
class ExpertAdminController {

    private final ExpertRegistry registry;
    private final ExpertSpecReader reader;
    private final JsonMapper json;
    private final Duration circuitRetryAfter;
    private final @Nullable ReachabilityChecker reachability;

    ExpertAdminController(ExpertRegistry registry, ExpertSpecReader reader, JsonMapper json,
            ConsiliumProperties properties, ObjectProvider<ReachabilityChecker> reachability) {
        this.registry = registry;
        this.reader = reader;
        this.json = json;
        this.circuitRetryAfter = properties.resilience().openStateWait();
        this.reachability = reachability.getIfAvailable();
    }

    @GetMapping
    ExpertList list() {
        return new ExpertList(registry.all().stream().map(ExpertSpec::of).toList());
    }

    @GetMapping("/{id}")
    ExpertSpec get(@PathVariable String id) {
        return ExpertSpec.of(registry.find(id).orElseThrow(() -> new ExpertNotFoundException(id)));
    }

    @PostMapping
    ResponseEntity<ObjectNode> create(@RequestBody JsonNode body) {
        ExpertSpec spec = reader.fromJson(body);
        if (Secret.MASK.equals(spec.apiKey())) {
            throw new InvalidExpertException("api_key", Secret.MASK, "must be the real key, not the mask");
        }
        Expert expert = registry.register(spec.toExpert());
        return ResponseEntity.created(URI.create("/admin/api/experts/" + expert.id())).body(checked(expert));
    }

    /**
     * Replaces the definition. The stored key is kept when {@code api_key} is omitted or is the mask a
     * read showed, so that what a GET returned can be sent back, but only while {@code base_url} and
     * {@code provider} stay the same: a key stays bound to the endpoint it was given for. {@code null}
     * (or an empty string, which the admin page sends) removes the key.
     */
    @PutMapping("/{id}")
    ObjectNode replace(@PathVariable String id, @RequestBody JsonNode body) {
        ExpertSpec spec = reader.fromJson(body);
        if (spec.id() != null && !spec.id().equals(id)) {
            throw new InvalidExpertException("id", spec.id(), "must match the id in the path ('" + id + "')");
        }
        Expert changed = new ExpertSpec(id, spec.provider(), spec.baseUrl(), spec.model(), null, spec.roles(),
                spec.skills(), spec.cost(), spec.limits(), spec.modelPath(), spec.systemPrompt(), spec.modalities(),
                spec.mock(), spec.enabled(), spec.domains(), spec.apis()).toExpert();
        return checked(registry.update(changed, keyUpdate(body)));
    }

    /**
     * The expert as stored, checked at once for whether its endpoint can be reached; when it cannot, the
     * answer carries a {@code warnings} list saying so. Registration still succeeds (the endpoint may come
     * up later), but routing skips the expert until a check passes.
     */
    private ObjectNode checked(Expert expert) {
        ObjectNode shown = json.valueToTree(ExpertSpec.of(expert));
        if (reachability != null) {
            reachability.checkNow(expert).filter(check -> !check.reachable()).ifPresent(check ->
                    shown.putArray("warnings").add(expert.baseUrl() + " cannot be reached: " + check.problem()
                            + ". Routing skips this expert until a health check passes; the next comes in "
                            + Duration.between(check.checkedAt(), check.nextCheck()).toSeconds() + " s."));
        }
        return shown;
    }

    /** What a change says about the key; only the JSON tree tells an omitted key from an explicit null. */
    private static ApiKeyUpdate keyUpdate(JsonNode body) {
        JsonNode key = body.get("api_key");
        if (key == null || Secret.MASK.equals(key.asString(""))) {
            return ApiKeyUpdate.keep();
        }
        if (key.isNull() || key.asString("").isBlank()) {
            return ApiKeyUpdate.remove();
        }
        return ApiKeyUpdate.replace(Secret.of(key.asString()));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        if (!registry.remove(id)) {
            throw new ExpertNotFoundException(id);
        }
        return ResponseEntity.noContent().build();
    }

    /** Sends a tiny request through the expert's resilient client and reports how it went. */
    @PostMapping("/{id}/test")
    TestResult test(@PathVariable String id) {
        Expert expert = registry.find(id).orElseThrow(() -> new ExpertNotFoundException(id));
        if (expert.servesEmbeddings()) {
            return testEmbeddings(expert);
        }
        ObjectNode probe = json.createObjectNode();
        probe.put("model", expert.id());
        probe.put("max_tokens", 16);
        probe.putArray("messages").addObject().put("role", "user").put("content", "Reply with the single word: pong");
        long started = System.nanoTime();
        try {
            String reply = registry.clientFor(expert).chat(new ChatRequest(probe)).text();
            return new TestResult(true, elapsedMs(started), reply, null);
        } catch (ExpertException e) {
            return new TestResult(false, elapsedMs(started), null,
                    ExpertFailures.toApiException(e, circuitRetryAfter).toError().error());
        }
    }

    /** An embedding expert is asked for the vector of one word; the reply says its size. */
    private TestResult testEmbeddings(Expert expert) {
        ObjectNode probe = json.createObjectNode();
        probe.put("model", expert.id());
        probe.put("input", "pong");
        long started = System.nanoTime();
        try {
            Embeddings vectors = registry.clientFor(expert).embed(new EmbeddingRequest(probe));
            return new TestResult(true, elapsedMs(started), "a vector of " + vectors.dimensions() + " dimensions", null);
        } catch (ExpertException e) {
            return new TestResult(false, elapsedMs(started), null,
                    ExpertFailures.toApiException(e, circuitRetryAfter).toError().error());
        }
    }

    private static long elapsedMs(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    /** The list envelope. */
    record ExpertList(List<ExpertSpec> data) {}

    /** Outcome of a test call: the reply on success, the error otherwise. */
    record TestResult(boolean ok, long latency_ms, @Nullable String reply, OpenAiError.@Nullable Detail error) {}
}
