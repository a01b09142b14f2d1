package io.consilium.router.routing;

import io.consilium.aggregator.FusionMode;
import io.consilium.profiler.SkillVector;
import io.consilium.registry.Expert;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the router decided for one request.
 *
 * @param skills what the classifier found
 * @param experts the experts to call, best first
 * @param reserves the next best, in order, to replace an expert that fails before answering
 * @param aggregator the aggregator for synthesis, when the fusion needs one
 * @param affinity set when the plan continues a tool conversation with the expert that made its tool calls
 */
public record Plan(Strategy strategy, SkillVector skills, List<PlannedExpert> experts, List<PlannedExpert> reserves,
        @Nullable Expert aggregator, FusionMode fusion, @Nullable Affinity affinity) {

    public Plan {
        experts = List.copyOf(experts);
        reserves = List.copyOf(reserves);
    }

    public Plan(Strategy strategy, SkillVector skills, List<PlannedExpert> experts, List<PlannedExpert> reserves,
            @Nullable Expert aggregator, FusionMode fusion) {
        this(strategy, skills, experts, reserves, aggregator, fusion, null);
    }
}
