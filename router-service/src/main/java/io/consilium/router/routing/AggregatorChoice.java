package io.consilium.router.routing;

import io.consilium.registry.Expert;
import org.jspecify.annotations.Nullable;

/** Which aggregator fuses a plan that needs a synthesis. */
interface AggregatorChoice {

    /**
     * The aggregator the options name, else the best measured one that takes calls; {@code null} when there
     * is none (the plan then votes).
     *
     * @throws InvalidRoutingRequestException when the options name an expert that is not an enabled aggregator
     */
    @Nullable Expert forFusion(RoutingOptions options);
}
