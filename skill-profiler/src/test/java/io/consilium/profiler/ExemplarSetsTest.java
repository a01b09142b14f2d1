package io.consilium.profiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped training exemplars and the held-out set are big enough and never overlap. */
class ExemplarSetsTest {

    private final SkillTaxonomy defaults = SkillTaxonomy.defaults();

    @Test
    void should_ship_the_documented_taxonomy_in_order() {
        assertThat(defaults.ids()).hasSize(27).startsWith("math.algebra").endsWith("general.chat");
        assertThat(defaults.find("law")).get().extracting(Skill::description)
                .isEqualTo("statutes, case law, contracts, jurisprudence");
        assertThat(defaults.version()).isZero();
    }

    @Test
    void should_give_every_skill_at_least_30_distinct_exemplars_and_8_held_out_queries() {
        for (Skill skill : defaults.skills()) {
            assertThat(new HashSet<>(skill.exemplars())).as(skill.id() + " exemplars").hasSizeGreaterThanOrEqualTo(30);
            assertThat(HeldOutEvaluation.queries(skill.id())).as(skill.id() + " held-out").hasSizeGreaterThanOrEqualTo(8);
        }
    }

    @Test
    void should_keep_held_out_queries_out_of_the_training_exemplars() {
        Set<String> training = new HashSet<>();
        defaults.skills().forEach(skill -> skill.exemplars().forEach(e -> training.add(normalise(e))));
        for (String skill : defaults.ids()) {
            List<String> leaked = HeldOutEvaluation.queries(skill).stream()
                    .filter(query -> training.contains(normalise(query)))
                    .toList();
            assertThat(leaked).as("held-out queries of " + skill + " found among training exemplars").isEmpty();
        }
    }

    private static String normalise(String text) {
        return text.toLowerCase().replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }
}
