package io.consilium.router.routing;

import io.consilium.profiler.ProfileService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Composition of Experts: the one best expert for the request's top skill, or the best generalist (highest
 * global competence) when the classifier is unsure; the rest in the same order are its reserves.
 */
final class CoePolicy implements RoutingPolicy {

    private final Recruitment recruitment;
    private final ProfileService profiles;

    CoePolicy(Recruitment recruitment, ProfileService profiles) {
        this.recruitment = recruitment;
        this.profiles = profiles;
    }

    @Override
    public Strategy strategy() {
        return Strategy.COE;
    }

    @Override
    public Plan plan(Input input) {
        Comparator<PlannedExpert> order = input.skills().uncertain()
                ? Comparator.comparingDouble(planned -> profiles.globalCompetence(planned.expert()))
                : Comparator.comparingDouble(planned -> profiles.competence(planned.expert(), input.skills().top().id()));
        List<PlannedExpert> sorted = new ArrayList<>(input.ranked());
        sorted.sort(order.reversed().thenComparing(Comparator.comparingDouble(PlannedExpert::score).reversed()));
        return recruitment.single(strategy(), input.skills(), sorted);
    }
}
