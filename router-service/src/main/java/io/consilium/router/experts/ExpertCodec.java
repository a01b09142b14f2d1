package io.consilium.router.experts;

import io.consilium.registry.Cost;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertApi;
import io.consilium.registry.Limits;
import io.consilium.registry.MockBehaviour;
import io.consilium.registry.Modality;
import io.consilium.registry.Role;
import io.consilium.registry.SecretCipher;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stored form of an {@link Expert}: a JSON object of its own, independent of the HTTP API's shape,
 * with the api key only as {@link SecretCipher} ciphertext. Reading builds the expert through its
 * validating builder, so a stored definition is as trustworthy as a new one.
 */
public final class ExpertCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SecretCipher cipher;

    public ExpertCodec(SecretCipher cipher) {
        this.cipher = cipher;
    }

    String write(Expert expert) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", expert.id());
        node.put("provider", expert.provider().id());
        putIfSet(node, "base_url", expert.baseUrl() == null ? null : expert.baseUrl().toString());
        putIfSet(node, "model", expert.model());
        putIfSet(node, "api_key", expert.apiKey() == null ? null : cipher.encrypt(expert.apiKey()));
        ArrayNode roles = node.putArray("roles");
        expert.roles().stream().map(Role::id).sorted().forEach(roles::add);
        ArrayNode skills = node.putArray("skills");
        expert.skills().forEach(skills::add);
        node.putObject("cost")
                .put("input_per_mtok", expert.cost().inputPerMtok())
                .put("output_per_mtok", expert.cost().outputPerMtok());
        node.putObject("limits")
                .put("max_concurrency", expert.limits().maxConcurrency())
                .put("timeout", expert.limits().timeout().toString())
                .put("context_tokens", expert.limits().contextTokens());
        putIfSet(node, "model_path", expert.modelPath());
        putIfSet(node, "system_prompt", expert.systemPrompt());
        ArrayNode modalities = node.putArray("modalities");
        expert.modalities().stream().map(Modality::id).sorted().forEach(modalities::add);
        node.putObject("mock")
                .put("latency", expert.mock().latency().toString())
                .put("failure_rate", expert.mock().failureRate());
        node.put("enabled", expert.enabled());
        ArrayNode domains = node.putArray("domains");
        expert.domains().forEach(domains::add);
        ArrayNode apis = node.putArray("apis");
        expert.apis().stream().map(ExpertApi::id).sorted().forEach(apis::add);
        return JSON.writeValueAsString(node);
    }

    Expert read(String stored) {
        String id = "?";
        try {
            JsonNode node = JSON.readTree(stored);
            id = node.path("id").asString();
            JsonNode limits = node.path("limits");
            JsonNode mock = node.path("mock");
            Expert.Builder builder = Expert.builder(id)
                    .provider(node.path("provider").asString())
                    .baseUrl(text(node, "base_url"))
                    .model(text(node, "model"))
                    .apiKey(node.hasNonNull("api_key") ? cipher.decrypt(node.path("api_key").asString()) : null)
                    .roleIds(strings(node.path("roles")))
                    .skills(strings(node.path("skills")))
                    .cost(new Cost(node.path("cost").path("input_per_mtok").asDouble(),
                            node.path("cost").path("output_per_mtok").asDouble()))
                    .limits(new Limits(limits.path("max_concurrency").asInt(),
                            Duration.parse(limits.path("timeout").asString()), limits.path("context_tokens").asInt()))
                    .modelPath(text(node, "model_path"))
                    .systemPrompt(text(node, "system_prompt"))
                    .modalityIds(strings(node.path("modalities")))
                    .mock(new MockBehaviour(Duration.parse(mock.path("latency").asString()),
                            mock.path("failure_rate").asDouble()))
                    .enabled(node.path("enabled").asBoolean(true))
                    .domains(strings(node.path("domains")));
            // Definitions stored before experts declared their APIs hold none: they keep the default.
            if (node.path("apis").isArray()) {
                builder.apiIds(strings(node.path("apis")));
            }
            return builder.build();
        } catch (JacksonException e) {
            // Never the stored text: it holds the sealed key.
            throw new IllegalStateException("the stored definition of expert '" + id + "' is not valid JSON", e);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // A key sealed under another master key lands here too.
            throw new IllegalStateException("the stored definition of expert '" + id + "' cannot be read (is "
                    + "consilium.security.master-key the same on every replica?): " + e.getMessage(), e);
        }
    }

    private static void putIfSet(ObjectNode node, String field, @Nullable String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static @Nullable String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.path(field).asString() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : array) {
            values.add(value.asString());
        }
        return values;
    }
}
