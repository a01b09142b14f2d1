package io.consilium.profiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.profiler.internal.InMemoryProfileStore;
import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileServiceTest {

    private final ProfileService profiles =
            new ProfileService(new InMemoryProfileStore(Clock.systemUTC()), CompetenceModel.DEFAULTS);
    private final Expert mathematician = Expert.builder("math").provider(Provider.MOCK)
            .skills(List.of("math.calculus")).roleIds(List.of("expert", "aggregator")).build();

    @Test
    void should_start_from_declared_skills_before_any_evidence() {
        assertThat(profiles.competence(mathematician, "math.calculus")).isEqualTo(0.7);
        assertThat(profiles.competence(mathematician, "law")).isEqualTo(0.4);
        assertThat(profiles.globalCompetence(mathematician)).isEqualTo(0.5);
    }

    @Test
    void should_move_towards_the_measured_rate_as_evidence_grows() {
        // when: 20 answers at law, 5 of them right, each item all law
        for (int i = 0; i < 20; i++) {
            profiles.recordAnswer("math", Map.of("law", 1.0), i < 5);
        }

        // then
        assertThat(profiles.competence(mathematician, "law")).isCloseTo((2 + 5) / 25.0,
                org.assertj.core.api.Assertions.within(1e-9));
        ExpertProfile profile = profiles.profile("math").orElseThrow();
        assertThat(profile.version()).isEqualTo(20);
        assertThat(profile.counts("law")).isEqualTo(new SkillCounts(5, 20));
    }

    @Test
    void should_spread_an_answer_over_skills_by_weight() {
        profiles.recordAnswer("math", Map.of("math.calculus", 0.75, "science.physics", 0.25, "law", 0.001), true);

        ExpertProfile profile = profiles.profile("math").orElseThrow();
        assertThat(profile.counts("math.calculus")).isEqualTo(new SkillCounts(0.75, 0.75));
        assertThat(profile.counts("science.physics")).isEqualTo(new SkillCounts(0.25, 0.25));
        assertThat(profile.skills()).doesNotContainKey("law");
    }

    @Test
    void should_raise_competence_on_positive_feedback_and_lower_it_on_negative() {
        // given
        double before = profiles.competence(mathematician, "math.calculus");

        // when
        profiles.recordFeedback(List.of("math"), Map.of("math.calculus", 1.0), 1.0);
        double afterPraise = profiles.competence(mathematician, "math.calculus");
        profiles.recordFeedback(List.of("math"), Map.of("math.calculus", 1.0), -1.0);
        profiles.recordFeedback(List.of("math"), Map.of("math.calculus", 1.0), -1.0);
        double afterComplaints = profiles.competence(mathematician, "math.calculus");

        // then
        assertThat(afterPraise).isGreaterThan(before);
        assertThat(afterComplaints).isLessThan(afterPraise);
        assertThatThrownBy(() -> profiles.recordFeedback(List.of("math"), Map.of("law", 1.0), 2))
                .hasMessageContaining("but was 2");
    }

    @Test
    void should_keep_fusion_and_errors_apart_from_skills() {
        profiles.recordFusion("math", true);
        profiles.recordFusion("math", false);
        profiles.recordError("math");

        ExpertProfile profile = profiles.profile("math").orElseThrow();
        assertThat(profile.fusion()).isEqualTo(new SkillCounts(1, 2));
        assertThat(profile.errors()).isEqualTo(1);
        assertThat(profile.skills()).isEmpty();
        assertThat(profiles.aggregatorScore(mathematician)).isEqualTo(0.5);
    }

    @Test
    void should_never_let_an_unmeasured_aggregator_win_a_tie_against_a_measured_one() {
        // given: "a-new" never fused anything (prior 0.5); "z-measured" fused 5 of 10 well (also 0.5)
        Expert fresh = Expert.builder("a-new").provider(Provider.MOCK).roleIds(List.of("aggregator")).build();
        Expert measured = Expert.builder("z-measured").provider(Provider.MOCK).roleIds(List.of("aggregator")).build();
        for (int i = 0; i < 10; i++) {
            profiles.recordFusion("z-measured", i % 2 == 0);
        }

        // when
        var best = profiles.bestAggregator(List.of(fresh, measured));

        // then: the tie goes to the measurement, though the id would have picked the other
        assertThat(profiles.aggregatorScore(fresh)).isEqualTo(profiles.aggregatorScore(measured));
        assertThat(best).map(Expert::id).contains("z-measured");
        assertThat(profiles.fusionEvidence(measured)).isEqualTo(10);
        assertThat(profiles.fusionEvidence(fresh)).isZero();
    }
}
