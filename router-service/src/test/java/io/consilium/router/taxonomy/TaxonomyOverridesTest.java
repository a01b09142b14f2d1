package io.consilium.router.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.profiler.SkillClassifiers;
import io.consilium.profiler.TaxonomyService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaxonomyOverridesTest {

    @TempDir
    Path dir;

    private final TaxonomyService taxonomy = new TaxonomyService(SkillClassifiers.inMemoryStore());

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("taxonomy.yaml"), yaml);
    }

    @Test
    void should_add_new_skills_and_missing_exemplars_and_change_nothing_when_applied_again() throws IOException {
        // given
        Path file = file("""
                skills:
                  - id: cooking
                    description: recipes and kitchen technique
                    exemplars: ["How long do I boil an egg?", "What can I cook with leftover rice?",
                      "How do I make a roux?", "Why did my bread not rise?", "How do I sharpen a kitchen knife?"]
                  - id: law
                    exemplars: ["Is a handshake agreement binding in my country?"]
                """);
        int lawExemplars = taxonomy.current().find("law").orElseThrow().exemplars().size();

        // when
        TaxonomyOverrides.apply(file, taxonomy);
        long version = taxonomy.current().version();
        TaxonomyOverrides.apply(file, taxonomy);

        // then
        assertThat(taxonomy.current().find("cooking")).hasValueSatisfying(skill ->
                assertThat(skill.exemplars()).hasSize(5).contains("How do I make a roux?"));
        assertThat(taxonomy.current().find("law").orElseThrow().exemplars()).hasSize(lawExemplars + 1)
                .contains("Is a handshake agreement binding in my country?");
        assertThat(taxonomy.current().version()).as("a second start changes nothing").isEqualTo(version);
    }

    @Test
    void should_stop_the_start_naming_the_file_and_entry_that_cannot_be_applied() throws IOException {
        // given: a new skill with too few exemplars
        Path file = file("""
                skills:
                  - id: gardening
                    exemplars: ["When do I plant tulips?"]
                """);

        // then
        assertThatThrownBy(() -> TaxonomyOverrides.apply(file, taxonomy))
                .hasMessageContaining("consilium.taxonomy-file").hasMessageContaining("skills[0] ('gardening')")
                .hasMessageContaining("at least 5");
        assertThatThrownBy(() -> TaxonomyOverrides.apply(file("skills: 3"), taxonomy))
                .hasMessageContaining("'skills' list");
    }
}
