package io.consilium.router.auth;

import io.consilium.registry.ExpertRegistry;
import io.consilium.router.api.ApiException;
import io.consilium.router.api.JsonFields;
import io.consilium.router.routing.Router;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /admin/api/keys}: create a key (the only time it is shown), list keys by prefix, revoke one.
 * Revocation takes effect on every replica at once.
 */
@RestController
@RequestMapping("/admin/api/keys")
class ApiKeysController {

    private static final int MAX_NAME_CHARS = 100;

    private final ApiKeys keys;
    private final ExpertRegistry registry;
    private final JsonMapper json;

    ApiKeysController(ApiKeys keys, ExpertRegistry registry, JsonMapper json) {
        this.keys = keys;
        this.registry = registry;
        this.json = json;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> create(@RequestBody JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.invalidRequest(null, "The body must be a JSON object.");
        }
        ApiKeys.Created created = keys.create(new ApiKeys.Grant(name(body), models(body), count(body, "requests_per_minute"),
                count(body, "tokens_per_minute"), count(body, "max_tokens"), expiry(body)));
        ObjectNode view = view(created.stored());
        view.put("key", created.key());
        return ResponseEntity.status(HttpStatus.CREATED).body(view);
    }

    @GetMapping
    ObjectNode list() {
        ObjectNode list = json.createObjectNode().put("object", "list");
        var data = list.putArray("data");
        keys.all().forEach(key -> data.add(view(key)));
        return list;
    }

    @GetMapping("/{id}")
    ObjectNode get(@PathVariable String id) {
        return view(keys.find(id).orElseThrow(() -> notFound(id)));
    }

    /** Revokes the key; a revoked key stays listed so its use can still be traced. */
    @DeleteMapping("/{id}")
    ObjectNode revoke(@PathVariable String id) {
        return view(keys.revoke(id).orElseThrow(() -> notFound(id)));
    }

    private ObjectNode view(ApiKey key) {
        ObjectNode view = json.createObjectNode();
        view.put("id", key.id());
        view.put("object", "api_key");
        view.put("name", key.name());
        view.put("prefix", key.prefix());
        List<String> models = key.models();
        models.forEach(view.putArray("models")::add);
        view.put("requests_per_minute", key.requestsPerMinute());
        view.put("tokens_per_minute", key.tokensPerMinute());
        view.put("max_tokens", key.maxTokens());
        view.put("created_at", key.createdAt().toString());
        putInstant(view, "expires_at", key.expiresAt());
        putInstant(view, "revoked_at", key.revokedAt());
        view.put("revoked", key.revoked());
        return view;
    }

    private static void putInstant(ObjectNode view, String field, @Nullable Instant instant) {
        if (instant == null) {
            view.putNull(field);
        } else {
            view.put(field, instant.toString());
        }
    }

    private static String name(JsonNode body) {
        JsonNode name = body.path("name");
        if (!name.isString() || name.asString().isBlank() || name.asString().length() > MAX_NAME_CHARS) {
            throw ApiException.invalidRequest("name", "'name' must be a non-empty string of at most " + MAX_NAME_CHARS
                    + " characters saying what the key is for.");
        }
        return name.asString().strip();
    }

    /**
     * The models the key may use: each a virtual model or a registered expert (disabled ones too: they
     * may be enabled again). A name that is neither would make a key that can never call what was meant.
     */
    private List<String> models(JsonNode body) {
        List<String> models = JsonFields.strings(body.path("models"), "models", "model names");
        List<String> unknown = models.stream()
                .filter(model -> !Router.isVirtual(model) && registry.find(model).isEmpty())
                .distinct()
                .toList();
        if (!unknown.isEmpty()) {
            throw ApiException.invalidRequest("models", "'models' names models that do not exist: "
                    + unknown.stream().map(model -> "'" + model + "'").collect(Collectors.joining(", "))
                    + ". Use " + Router.AUTO + ", " + Router.ROUTE + " or the id of a registered expert.");
        }
        return models;
    }

    private static int count(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0 || value.asLong() > Integer.MAX_VALUE) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a whole number from 0 (no limit) to "
                    + Integer.MAX_VALUE + ", but was " + value + ".");
        }
        return value.asInt();
    }

    private static @Nullable Instant expiry(JsonNode body) {
        JsonNode value = body.path("expires_at");
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            Instant expiresAt = Instant.parse(value.asString());
            if (!expiresAt.isAfter(Instant.now())) {
                throw ApiException.invalidRequest("expires_at", "'expires_at' must be in the future, but was " + expiresAt + ".");
            }
            return expiresAt;
        } catch (DateTimeParseException e) {
            throw ApiException.invalidRequest("expires_at",
                    "'expires_at' must be an ISO-8601 instant such as 2027-01-31T00:00:00Z, but was " + value + ".");
        }
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("key_not_found", "There is no API key with id '" + id + "'.");
    }
}
