package io.consilium.router.routing;

import io.consilium.profiler.SkillVector;
import io.consilium.router.tracing.PipelineTracing;
import io.micrometer.observation.Observation;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the classification and the plan of a request add to their spans. */
final class PlanObservations {

    /** Skills shown on a span: enough to see why experts were chosen, few enough to stay readable. */
    private static final int SKILLS_SHOWN = 5;

    private PlanObservations() {}

    static void describe(Observation classification, SkillVector skills) {
        classification.highCardinalityKeyValue(PipelineTracing.SKILLS, skillList(skills))
                .highCardinalityKeyValue(PipelineTracing.UNCERTAIN, Boolean.toString(skills.uncertain()));
    }

    static void describe(Observation planning, Plan plan) {
        planning.highCardinalityKeyValue(PipelineTracing.STRATEGY, plan.strategy().id())
                .highCardinalityKeyValue(PipelineTracing.FUSION_MODE, plan.fusion().id())
                .highCardinalityKeyValue(PipelineTracing.K, Integer.toString(plan.experts().size()))
                .highCardinalityKeyValue(PipelineTracing.SKILLS, skillList(plan.skills()))
                .highCardinalityKeyValue(PipelineTracing.EXPERTS, plan.experts().stream()
                        .map(planned -> planned.expert().id()).collect(Collectors.joining(",")))
                .highCardinalityKeyValue(PipelineTracing.AGGREGATOR, plan.aggregator() == null ? "" : plan.aggregator().id());
    }

    /** The first skills as {@code id:score} pairs, best first. */
    private static String skillList(SkillVector skills) {
        return skills.skills().stream().limit(SKILLS_SHOWN)
                .map(skill -> skill.id() + ":" + String.format(Locale.ROOT, "%.3f", skill.score()))
                .collect(Collectors.joining(","));
    }
}
