package io.consilium.router.ui;

import io.consilium.profiler.ExpertProfile;
import io.consilium.profiler.ProfileService;
import io.consilium.registry.Expert;
import io.consilium.registry.Role;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An aggregator-capable expert ranked by how well it fuses answers; the first enabled one is the default
 * aggregator of {@code consilium/auto}.
 */
record AggregatorRank(String id, String score, String evidence, boolean isDefault, boolean enabled) {

    static List<AggregatorRank> of(List<Expert> experts, ProfileService profiles) {
        Optional<String> best = profiles.bestAggregator(experts).map(Expert::id);
        return experts.stream()
                .filter(expert -> expert.hasRole(Role.AGGREGATOR))
                .sorted(Comparator.comparingDouble(profiles::aggregatorScore).reversed().thenComparing(Expert::id))
                .map(expert -> {
                    ExpertProfile profile = profiles.profile(expert.id()).orElseGet(() -> ExpertProfile.empty(expert.id()));
                    String evidence = profile.fusion().attempted() > 0
                            ? Figures.count(profile.fusion().correct()) + " right of "
                                    + Figures.count(profile.fusion().attempted()) + " fusions"
                            : "not profiled as an aggregator yet";
                    return new AggregatorRank(expert.id(), Figures.score(profiles.aggregatorScore(expert)), evidence,
                            best.filter(expert.id()::equals).isPresent(), expert.enabled());
                })
                .toList();
    }
}
