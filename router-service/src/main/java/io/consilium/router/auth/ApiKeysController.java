package io.consilium.router.auth;

import io.consilium.registry.ExpertRegistry;
import io.consilium.router.api.ApiException;
import io.consilium.router.api.JsonFields;
import io.consilium.router.budgets.Budget;
import io.consilium.router.budgets.BudgetPeriod;
import io.consilium.router.budgets.Budgets;
import io.consilium.router.routing.Router;
import io.consilium.router.routing.RoutingCeiling;
import io.consilium.router.routing.RoutingOptions;
import io.consilium.router.routing.Strategy;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /admin/api/keys}: create a key (the only time it is shown), list keys by prefix, change what a key may
 * do, revoke one. Changes and revocation take effect on every replica at once. A key with a budget is shown with
 * what it spent in the current period.
 */
@RestController
@RequestMapping("/admin/api/keys")
class ApiKeysController {

    private static final int MAX_NAME_CHARS = 100;
    private static final List<String> FIELDS = List.of("name", "models", "requests_per_minute", "tokens_per_minute",
            "max_tokens", "expires_at", "budget_usd", "budget_period", "max_k", "strategies");
    private static final ApiKeys.Grant NOTHING_YET = new ApiKeys.Grant("", List.of(), 0, 0, 0, null, Budget.NONE,
            RoutingCeiling.NONE);

    private final ApiKeys keys;
    private final ExpertRegistry registry;
    private final Budgets budgets;
    private final JsonMapper json;

    ApiKeysController(ApiKeys keys, ExpertRegistry registry, Budgets budgets, JsonMapper json) {
        this.keys = keys;
        this.registry = registry;
        this.budgets = budgets;
        this.json = json;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> create(@RequestBody JsonNode body) {
        checkFields(body);
        ApiKeys.Created created = keys.create(grant(body, NOTHING_YET.withName(name(body))));
        ObjectNode view = view(created.stored());
        view.put("key", created.key());
        return ResponseEntity.status(HttpStatus.CREATED).body(view);
    }

    /**
     * Changes what a live key may do: each field sent replaces the stored one, null puts it back to no limit
     * (all models, never expires), a field not sent stays as it is.
     */
    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode update(@PathVariable String id, @RequestBody JsonNode body) {
        checkFields(body);
        String name = body.has("name") ? name(body) : null;
        try {
            return view(keys.update(id, current -> grant(body, name == null ? current : current.withName(name)))
                    .orElseThrow(() -> notFound(id)));
        } catch (ApiKeys.RevokedKeyException revoked) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "key_revoked", null,
                    revoked.getMessage(), null);
        }
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
        putBudget(view, key);
        view.put("max_k", key.ceiling().maxK());
        key.ceiling().strategyIds().forEach(view.putArray("strategies")::add);
        view.put("created_at", key.createdAt().toString());
        putInstant(view, "expires_at", key.expiresAt());
        putInstant(view, "revoked_at", key.revokedAt());
        view.put("revoked", key.revoked());
        return view;
    }

    /** The budget, and while there is one what the key spent in its current period and when that ends. */
    private void putBudget(ObjectNode view, ApiKey key) {
        Budget budget = key.budget();
        view.put("budget_usd", budget.usd());
        view.put("budget_period", budget.period().id());
        if (budget.limits()) {
            Budgets.Standing standing = budgets.standing(key.id(), budget);
            view.put("spent_usd", standing.spentUsd());
            view.put("budget_resets_at", standing.resetsAt().toString());
        } else {
            view.putNull("spent_usd");
            view.putNull("budget_resets_at");
        }
    }

    private static void putInstant(ObjectNode view, String field, @Nullable Instant instant) {
        if (instant == null) {
            view.putNull(field);
        } else {
            view.put(field, instant.toString());
        }
    }

    private static void checkFields(JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.invalidRequest(null, "The body must be a JSON object.");
        }
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw ApiException.invalidRequest(field, "'" + field + "' is not a field of an API key; the fields are "
                        + String.join(", ", FIELDS) + ".");
            }
        }
    }

    /** The grant the body asks for: each field it sends over {@code base}'s. */
    private ApiKeys.Grant grant(JsonNode body, ApiKeys.Grant base) {
        return new ApiKeys.Grant(base.name(),
                body.has("models") ? models(body) : base.models(),
                body.has("requests_per_minute") ? count(body, "requests_per_minute") : base.requestsPerMinute(),
                body.has("tokens_per_minute") ? count(body, "tokens_per_minute") : base.tokensPerMinute(),
                body.has("max_tokens") ? count(body, "max_tokens") : base.maxTokens(),
                body.has("expires_at") ? expiry(body) : base.expiresAt(),
                new Budget(body.has("budget_usd") ? budgetUsd(body) : base.budget().usd(),
                        body.has("budget_period") ? budgetPeriod(body) : base.budget().period()),
                new RoutingCeiling(body.has("max_k") ? maxK(body) : base.ceiling().maxK(),
                        body.has("strategies") ? strategies(body) : base.ceiling().strategies()));
    }

    private static double budgetUsd(JsonNode body) {
        JsonNode value = body.get("budget_usd");
        if (value.isNull()) {
            return 0;
        }
        if (!value.isNumber() || !(value.asDouble() >= 0) || value.asDouble() > Budget.MAX_USD) {
            throw ApiException.invalidRequest("budget_usd", "'budget_usd' must be a number of US dollars from 0 (no budget)"
                    + " to " + (long) Budget.MAX_USD + ", but was " + value + ".");
        }
        return value.asDouble();
    }

    private static BudgetPeriod budgetPeriod(JsonNode body) {
        JsonNode value = body.get("budget_period");
        if (value.isNull()) {
            return Budget.NONE.period();
        }
        return (value.isString() ? BudgetPeriod.fromId(value.asString()) : Optional.<BudgetPeriod>empty())
                .orElseThrow(() -> ApiException.invalidRequest("budget_period",
                        "'budget_period' must be day or month (UTC calendar periods), but was " + value + "."));
    }

    private static int maxK(JsonNode body) {
        JsonNode value = body.get("max_k");
        if (value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0 || value.asInt() > RoutingOptions.MAX_K) {
            throw ApiException.invalidRequest("max_k", "'max_k' must be a whole number from 0 (no ceiling) to "
                    + RoutingOptions.MAX_K + ", the most experts one request may ask, but was " + value + ".");
        }
        return value.asInt();
    }

    private static Set<Strategy> strategies(JsonNode body) {
        List<String> ids = JsonFields.strings(body.path("strategies"), "strategies", "strategy ids");
        Set<Strategy> strategies = EnumSet.noneOf(Strategy.class);
        for (String id : ids) {
            strategies.add(Strategy.fromId(id).orElseThrow(() -> ApiException.invalidRequest("strategies",
                    "'strategies' names '" + id + "', which is not a strategy; the strategies are "
                            + Arrays.stream(Strategy.values()).map(Strategy::id).collect(Collectors.joining(", "))
                            + ". An empty list allows all.")));
        }
        return strategies;
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
