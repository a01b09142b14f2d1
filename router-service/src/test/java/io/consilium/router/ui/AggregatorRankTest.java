package io.consilium.router.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.profiler.CompetenceModel;
import io.consilium.profiler.ProfileService;
import io.consilium.profiler.internal.InMemoryProfileStore;
import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The aggregator ranking of the skills page: the service's order, and why the default was chosen. */
class AggregatorRankTest {

    private final ProfileService profiles =
            new ProfileService(new InMemoryProfileStore(Clock.systemUTC()), CompetenceModel.DEFAULTS);

    @Test
    void should_put_a_measured_aggregator_first_in_a_tie_and_say_why() {
        // given: "a-new" never fused (prior 0.50); "z-measured" fused 5 of 10 well (0.50)
        for (int i = 0; i < 10; i++) {
            profiles.recordFusion("z-measured", i % 2 == 0);
        }

        // when
        List<AggregatorRank> ranks = AggregatorRank.of(List.of(aggregator("a-new"), aggregator("z-measured")), profiles);

        // then
        assertThat(ranks).extracting(AggregatorRank::id).containsExactly("z-measured", "a-new");
        assertThat(ranks.get(0).isDefault()).isTrue();
        assertThat(ranks.get(0).why()).contains("tied at 0.50 with a-new").contains("more measured fusions (10)");
        assertThat(ranks.get(1).why()).isNull();
        assertThat(ranks.get(1).evidence()).isEqualTo("not profiled as an aggregator yet");
    }

    @Test
    void should_name_the_higher_score_or_the_only_aggregator_as_the_reason() {
        profiles.recordFusion("z-measured", true);

        assertThat(AggregatorRank.of(List.of(aggregator("a-new"), aggregator("z-measured")), profiles).get(0).why())
                .isEqualTo("the highest fusion score of the enabled aggregators");
        assertThat(AggregatorRank.of(List.of(aggregator("a-new")), profiles).get(0).why())
                .isEqualTo("the only enabled aggregator");
    }

    private static Expert aggregator(String id) {
        return Expert.builder(id).provider(Provider.MOCK).roleIds(List.of("aggregator")).build();
    }
}
