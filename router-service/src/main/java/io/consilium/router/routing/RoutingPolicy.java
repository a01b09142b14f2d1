package io.consilium.router.routing;

import io.consilium.profiler.SkillVector;
import io.consilium.registry.ChatRequest;
import java.util.List;

/** How one strategy turns the ranked experts for a request into a {@link Plan}. */
interface RoutingPolicy {

    Strategy strategy();

    /** @throws RoutingException when the request cannot be planned under this strategy */
    Plan plan(Input input);

    /**
     * What a policy plans from.
     *
     * @param ranked the eligible experts, best score first (never empty)
     * @param oneExpert whether the plan must call a single expert ({@code consilium/route})
     */
    record Input(ChatRequest request, SkillVector skills, List<PlannedExpert> ranked, RoutingOptions options,
            boolean oneExpert) {

        public Input {
            ranked = List.copyOf(ranked);
        }
    }
}
