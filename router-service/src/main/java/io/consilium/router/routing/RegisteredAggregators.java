package io.consilium.router.routing;

import io.consilium.profiler.ProfileService;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Role;
import org.jspecify.annotations.Nullable;

/** Aggregators from the registry: the one a request names, or the best measured one that takes calls. */
final class RegisteredAggregators implements AggregatorChoice {

    private final ExpertRegistry registry;
    private final ProfileService profiles;

    RegisteredAggregators(ExpertRegistry registry, ProfileService profiles) {
        this.registry = registry;
        this.profiles = profiles;
    }

    @Override
    public @Nullable Expert forFusion(RoutingOptions options) {
        if (options.aggregator() != null) {
            return requested(options.aggregator());
        }
        return profiles.bestAggregator(registry.enabled().stream()
                .filter(expert -> registry.health(expert.id()).takesCalls()).toList()).orElse(null);
    }

    /** The aggregator a request names; it must be registered, enabled and have the aggregator role. */
    Expert requested(String id) {
        Expert chosen = registry.find(id).orElseThrow(() -> new InvalidRoutingRequestException("consilium.aggregator",
                "No expert with id '" + id + "'; 'consilium.aggregator' must name an enabled expert with the"
                        + " aggregator role."));
        if (!chosen.enabled() || !chosen.hasRole(Role.AGGREGATOR)) {
            throw new InvalidRoutingRequestException("consilium.aggregator",
                    "The expert '" + chosen.id() + "' is not an enabled aggregator.");
        }
        return chosen;
    }
}
