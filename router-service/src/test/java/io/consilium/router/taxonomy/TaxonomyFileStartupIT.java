package io.consilium.router.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.profiler.QueryClassifier;
import io.consilium.router.ConsiliumApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The taxonomy file applied at start-up reaches the classifier: a skill it adds is recognised at once. */
class TaxonomyFileStartupIT {

    @Test
    void should_start_with_the_files_skill_trained_into_the_classifier(@TempDir Path dir) throws IOException {
        // given
        Path file = Files.writeString(dir.resolve("taxonomy.yaml"), """
                skills:
                  - id: cooking
                    description: recipes and kitchen technique
                    exemplars: ["How long do I boil an egg?", "What can I cook with leftover rice?",
                      "How do I make a roux for a sauce?", "Why did my bread dough not rise in the oven?",
                      "How do I sharpen a kitchen knife?", "Which spices go well with roasted carrots?",
                      "Can I freeze cooked pasta?", "How do I keep a cake from sinking?"]
                """);

        // when
        try (ConfigurableApplicationContext context = SpringApplication.run(ConsiliumApplication.class,
                "--spring.main.web-application-type=none", "--consilium.taxonomy-file=" + file)) {
            var top = context.getBean(QueryClassifier.class).classify("How long should I boil pasta for a salad?")
                    .skills().getFirst();

            // then
            assertThat(top.id()).isEqualTo("cooking");
        }
    }
}
