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
     * @param maxK the most experts the plan may recruit (the caller's key may hold it below {@link RoutingOptions#MAX_K})
     */
    record Input(ChatRequest request, SkillVector skills, List<PlannedExpert> ranked, RoutingOptions options,
            boolean oneExpert, int maxK) {

        public Input {
            ranked = List.copyOf(ranked);
        }

        Input(ChatRequest request, SkillVector skills, List<PlannedExpert> ranked, RoutingOptions options,
                boolean oneExpert) {
            this(request, skills, ranked, options, oneExpert, RoutingOptions.MAX_K);
        }
    }
}
