package io.consilium.profiler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SkillTaxonomyTest {

    @Test
    void should_ship_the_default_taxonomy_in_its_documented_order() {
        // when
        SkillTaxonomy taxonomy = SkillTaxonomy.defaults();

        // then
        assertThat(taxonomy.skills()).hasSize(27);
        assertThat(taxonomy.skills().getFirst().id()).isEqualTo("math.algebra");
        assertThat(taxonomy.skills().getLast().id()).isEqualTo("general.chat");
        assertThat(taxonomy.find("law")).get().extracting(Skill::description)
                .isEqualTo("statutes, case law, contracts, jurisprudence");
        assertThat(taxonomy.contains("cs.programming")).isTrue();
        assertThat(taxonomy.contains("cooking")).isFalse();
    }
}
