package io.consilium.profiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in classifier, as the service starts it, on the realistic evaluation set and on the
 * held-out set: prints top-1/top-3 per skill and per shape and the precision and recall of the
 * {@code uncertain} flag, and fails if accuracy falls below the guard.
 */
class RealisticSetEvaluationTest {

    private static final double MIN_TOP1 = 0.75;
    private static final double MIN_TOP3 = 0.90;

    private static SentenceEncoder encoder;
    private static TrainableClassifier classifier;
    private static SkillTaxonomy defaults;

    @BeforeAll
    static void startClassifier() {
        encoder = SkillClassifiers.miniLm(ClassifierSettings.DEFAULTS);
        TaxonomyService taxonomy = new TaxonomyService(SkillClassifiers.inMemoryStore());
        defaults = taxonomy.current();
        classifier = SkillClassifiers.builtin(encoder, taxonomy, ClassifierSettings.DEFAULTS);
    }

    @AfterAll
    static void closeEncoder() {
        encoder.close();
    }

    @Test
    void should_classify_the_realistic_set_above_the_guard() {
        // given
        List<RealisticEvaluation.Item> items = RealisticEvaluation.items(defaults.ids());

        // when
        RealisticEvaluation realistic = RealisticEvaluation.run(classifier, items);
        HeldOutEvaluation heldOut = HeldOutEvaluation.run(classifier, defaults.ids());
        long longer = items.stream().filter(item -> !encoder.read(item.input()).complete()).count();
        System.out.println("default settings: a first reading of 8 + 56 tokens without filler words, the first 40"
                + " tokens too when unsure; " + longer + " of " + items.size() + " inputs are longer than the first window");
        System.out.println(realistic.report());
        System.out.println(heldOut.report());

        // then
        assertThat(items).hasSizeGreaterThanOrEqualTo(20 * defaults.skills().size());
        assertThat(longer).as("inputs the first reading reads partly").isGreaterThan(items.size() / 4);
        assertThat(realistic.top1()).as("realistic top-1").isGreaterThanOrEqualTo(MIN_TOP1);
        assertThat(realistic.top3()).as("realistic top-3").isGreaterThanOrEqualTo(MIN_TOP3);
    }

    @Test
    void should_keep_the_guard_when_long_inputs_are_read_through_the_full_window_only() {
        // given: no first reading: every input read once through the first 32 and last 64 tokens
        ClassifierSettings settings = ClassifierSettings.DEFAULTS.withFirstReading(ClassifierSettings.FirstReading.OFF);
        List<RealisticEvaluation.Item> items = RealisticEvaluation.items(defaults.ids());
        try (SentenceEncoder fullWindow = SkillClassifiers.miniLm(settings)) {
            QueryClassifier once = SkillClassifiers.builtin(fullWindow,
                    new TaxonomyService(SkillClassifiers.inMemoryStore()), settings);

            // when
            RealisticEvaluation realistic = RealisticEvaluation.run(once, items);
            System.out.println("full window only (consilium.classifier.first-reading.max-tokens=0):");
            System.out.println(realistic.report());

            // then
            assertThat(realistic.top1()).as("realistic top-1").isGreaterThanOrEqualTo(MIN_TOP1);
            assertThat(realistic.top3()).as("realistic top-3").isGreaterThanOrEqualTo(MIN_TOP3);
        }
    }
}
