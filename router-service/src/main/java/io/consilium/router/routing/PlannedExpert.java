package io.consilium.router.routing;

import io.consilium.profiler.SkillScore;
import io.consilium.registry.Expert;
import java.util.List;

/**
 * An expert chosen for a request, with why.
 *
 * @param score its routing score for this request
 * @param drivingSkills the skills that contributed most to the score, with their contributions
 */
public record PlannedExpert(Expert expert, double score, List<SkillScore> drivingSkills) {

    public PlannedExpert {
        drivingSkills = List.copyOf(drivingSkills);
    }
}
