package io.consilium.router.routing;

import io.consilium.aggregator.FusionMode;
import io.consilium.profiler.SkillVector;
import io.consilium.registry.Expert;
import java.util.List;

/**
 * The plan shapes the policies share: one expert with reserves, or k experts fused (with the aggregator a
 * synthesis needs), and the dynamic k of Symbolic-MoE.
 */
final class Recruitment {

    private final RoutingConfig config;
    private final AggregatorChoice aggregators;

    Recruitment(RoutingConfig config, AggregatorChoice aggregators) {
        this.config = config;
        this.aggregators = aggregators;
    }

    /** The first expert, the next ones as reserves; nothing to fuse. */
    Plan single(Strategy strategy, SkillVector skills, List<PlannedExpert> ordered) {
        return new Plan(strategy, skills, ordered.subList(0, 1), reserves(ordered, 1), null, FusionMode.NONE);
    }

    /** The expert that made a tool conversation's calls, alone; the best of the others as its reserves. */
    Plan continuing(Strategy strategy, SkillVector skills, List<PlannedExpert> ranked, PlannedExpert maker,
            Affinity affinity) {
        List<PlannedExpert> others = ranked.stream().filter(planned -> planned != maker).toList();
        return new Plan(strategy, skills, List.of(maker), reserves(others, 0), null, FusionMode.NONE, affinity);
    }

    /** The first k experts fused by the requested mode (synthesis by default, a vote when no aggregator is there). */
    Plan recruit(Strategy strategy, SkillVector skills, List<PlannedExpert> ordered, int k, RoutingOptions options) {
        int recruited = Math.min(k, ordered.size());
        FusionMode fusion = recruited == 1 ? FusionMode.NONE
                : options.fusion() != null ? options.fusion() : FusionMode.SYNTHESIZE;
        Expert aggregator = null;
        if (fusion == FusionMode.SYNTHESIZE) {
            aggregator = aggregators.forFusion(options);
            if (aggregator == null) {
                fusion = FusionMode.VOTE;
            }
        }
        return new Plan(strategy, skills, ordered.subList(0, recruited), reserves(ordered, recruited), aggregator, fusion);
    }

    /**
     * Fewer experts when one clearly dominates or the skills are clear; the most when they are not; never more
     * than the input's ceiling.
     */
    int k(RoutingPolicy.Input input) {
        RoutingOptions options = input.options();
        List<PlannedExpert> ranked = input.ranked();
        SkillVector skills = input.skills();
        if (options.k() != null) {
            return Math.min(options.k(), ranked.size());
        }
        int k;
        if (skills.uncertain()) {
            k = config.maxK();
        } else if (ranked.size() > 1 && ranked.get(0).score() >= config.dominance() * ranked.get(1).score()) {
            k = 1;
        } else if (skills.top().score() >= config.confidentProbability()) {
            k = Math.max(1, config.defaultK() - 1);
        } else {
            k = config.defaultK();
        }
        return Math.max(1, Math.min(Math.min(k, input.maxK()), ranked.size()));
    }

    private List<PlannedExpert> reserves(List<PlannedExpert> ordered, int from) {
        return ordered.subList(from, Math.min(ordered.size(), from + config.reserves()));
    }
}
