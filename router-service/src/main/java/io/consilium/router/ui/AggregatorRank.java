package io.consilium.router.ui;

import io.consilium.profiler.ProfileService;
import io.consilium.registry.Expert;
import io.consilium.registry.Role;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An aggregator-capable expert ranked by how well it fuses answers, in the order the service chooses by;
 * the first enabled one is the default aggregator of {@code consilium/auto}, with the reason it was chosen.
 */
record AggregatorRank(String id, String score, String evidence, boolean isDefault, @Nullable String why,
        boolean enabled) {

    static List<AggregatorRank> of(List<Expert> experts, ProfileService profiles) {
        Optional<Expert> best = profiles.bestAggregator(experts);
        List<Expert> enabled = experts.stream().filter(expert -> expert.enabled() && expert.hasRole(Role.AGGREGATOR)).toList();
        return experts.stream()
                .filter(expert -> expert.hasRole(Role.AGGREGATOR))
                .sorted(Comparator.comparingDouble(profiles::aggregatorScore).reversed()
                        .thenComparing(Comparator.comparingDouble(profiles::fusionEvidence).reversed())
                        .thenComparing(Expert::id))
                .map(expert -> {
                    boolean isDefault = best.filter(expert::equals).isPresent();
                    return new AggregatorRank(expert.id(), Figures.score(profiles.aggregatorScore(expert)),
                            evidence(profiles, expert), isDefault, isDefault ? why(expert, enabled, profiles) : null,
                            expert.enabled());
                })
                .toList();
    }

    private static String evidence(ProfileService profiles, Expert expert) {
        double attempted = profiles.fusionEvidence(expert);
        return attempted > 0
                ? Figures.count(profiles.profile(expert.id()).orElseThrow().fusion().correct()) + " right of "
                        + Figures.count(attempted) + " fusions"
                : "not profiled as an aggregator yet";
    }

    /** Why the service fuses with this aggregator: the rule of {@link ProfileService#bestAggregator} that decided. */
    private static String why(Expert chosen, List<Expert> enabled, ProfileService profiles) {
        if (enabled.size() == 1) {
            return "the only enabled aggregator";
        }
        double score = profiles.aggregatorScore(chosen);
        List<Expert> tied = enabled.stream()
                .filter(other -> !other.equals(chosen) && profiles.aggregatorScore(other) == score)
                .toList();
        if (tied.isEmpty()) {
            return "the highest fusion score of the enabled aggregators";
        }
        String others = String.join(", ", tied.stream().map(Expert::id).toList());
        double evidence = profiles.fusionEvidence(chosen);
        boolean moreEvidence = tied.stream().allMatch(other -> profiles.fusionEvidence(other) < evidence);
        return moreEvidence
                ? "tied at " + Figures.score(score) + " with " + others + "; its score rests on more measured fusions ("
                        + Figures.count(evidence) + ")"
                : "tied at " + Figures.score(score) + " with " + others + " on as much evidence; first by id";
    }
}
