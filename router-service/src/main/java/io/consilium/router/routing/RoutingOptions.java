package io.consilium.router.routing;

import io.consilium.aggregator.FusionMode;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The request's {@code consilium} field: strategy, k, fusion, aggregator, budget and which experts
 * may or may not be used. Parsed once, at the edge; every bad value is an
 * {@link InvalidRoutingRequestException} naming the field.
 */
public record RoutingOptions(@Nullable Strategy strategy, @Nullable Integer k, @Nullable FusionMode fusion,
        @Nullable String aggregator, @Nullable Double maxCostUsd, Set<String> allow, Set<String> deny,
        boolean includeAnswers) {

    public static final int MAX_K = 8;
    public static final RoutingOptions NONE = new RoutingOptions(null, null, null, null, null, Set.of(), Set.of(), false);

    public RoutingOptions {
        allow = Set.copyOf(allow);
        deny = Set.copyOf(deny);
    }

    /** Reads the field; a missing or null field means no options. */
    public static RoutingOptions parse(JsonNode field) {
        if (field.isMissingNode() || field.isNull()) {
            return NONE;
        }
        if (!field.isObject()) {
            throw invalid("consilium", "'consilium' must be an object.");
        }
        for (String name : field.propertyNames()) {
            if (!Set.of("strategy", "k", "fusion", "aggregator", "max_cost_usd", "experts", "include_answers", "cache")
                    .contains(name)) {
                throw invalid("consilium." + name, "'consilium." + name + "' is not a known option;"
                        + " options are strategy, k, fusion, aggregator, max_cost_usd, experts, include_answers"
                        + " and cache.");
            }
        }
        // Read by the answer cache, which runs before routing; checked here with the rest, so a typo is a 400.
        if (present(field, "cache") && !field.get("cache").isBoolean()) {
            throw invalid("consilium.cache", "'consilium.cache' must be true or false.");
        }
        Strategy strategy = null;
        if (present(field, "strategy")) {
            String id = text(field, "strategy");
            strategy = Strategy.fromId(id).orElseThrow(() -> invalid("consilium.strategy",
                    "'consilium.strategy' must be symbolic-moe, coe or cost, but was '" + id + "'."));
        }
        Integer k = null;
        if (present(field, "k")) {
            JsonNode value = field.get("k");
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1 || value.asInt() > MAX_K) {
                throw invalid("consilium.k", "'consilium.k' must be an integer from 1 to " + MAX_K + ".");
            }
            k = value.asInt();
        }
        FusionMode fusion = null;
        if (present(field, "fusion")) {
            String id = text(field, "fusion");
            fusion = FusionMode.requestable(id).orElseThrow(() -> invalid("consilium.fusion",
                    "'consilium.fusion' must be synthesize, vote or best, but was '" + id + "'."));
        }
        String aggregator = present(field, "aggregator") ? text(field, "aggregator") : null;
        Double maxCost = null;
        if (present(field, "max_cost_usd")) {
            JsonNode value = field.get("max_cost_usd");
            if (!value.isNumber() || !(value.asDouble() > 0)) {
                throw invalid("consilium.max_cost_usd", "'consilium.max_cost_usd' must be a positive number.");
            }
            maxCost = value.asDouble();
        }
        Set<String> allow = Set.of();
        Set<String> deny = Set.of();
        if (present(field, "experts")) {
            JsonNode experts = field.get("experts");
            if (!experts.isObject()) {
                throw invalid("consilium.experts", "'consilium.experts' must be an object with allow and deny lists.");
            }
            allow = ids(experts, "allow");
            deny = ids(experts, "deny");
        }
        boolean includeAnswers = false;
        if (present(field, "include_answers")) {
            if (!field.get("include_answers").isBoolean()) {
                throw invalid("consilium.include_answers", "'consilium.include_answers' must be true or false.");
            }
            includeAnswers = field.get("include_answers").asBoolean();
        }
        return new RoutingOptions(strategy, k, fusion, aggregator, maxCost, allow, deny, includeAnswers);
    }

    private static boolean present(JsonNode field, String name) {
        return field.has(name) && !field.get(name).isNull();
    }

    private static String text(JsonNode field, String name) {
        JsonNode value = field.get(name);
        if (!value.isString() || value.asString().isBlank()) {
            throw invalid("consilium." + name, "'consilium." + name + "' must be a non-empty string.");
        }
        return value.asString();
    }

    private static Set<String> ids(JsonNode experts, String name) {
        String field = "consilium.experts." + name;
        JsonNode list = experts.path(name);
        Set<String> ids = new LinkedHashSet<>();
        if (list.isMissingNode() || list.isNull()) {
            return ids;
        }
        if (!list.isArray()) {
            throw invalid(field, "'" + field + "' must be an array of expert ids.");
        }
        for (JsonNode id : list) {
            if (!id.isString()) {
                throw invalid(field, "'" + field + "' must contain only expert ids.");
            }
            ids.add(id.asString());
        }
        return ids;
    }

    private static InvalidRoutingRequestException invalid(String field, String message) {
        return new InvalidRoutingRequestException(field, message);
    }
}
