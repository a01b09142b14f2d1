package io.consilium.profiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.consilium.profiler.internal.EmbeddingSkillClassifier;
import io.consilium.profiler.internal.ExemplarEmbeddings;
import io.consilium.profiler.internal.SoftmaxHead;
import io.consilium.profiler.internal.SoftmaxHeadCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in classifier with the real all-MiniLM-L6-v2 model: embedding behaviour, the shipped
 * head, accuracy on the held-out set (a regression guard), and retraining on a taxonomy change.
 */
class BuiltinClassifierTest {

    /** Set to true to rewrite the shipped head after changing the default exemplars. */
    private static final String WRITE_HEAD = "consilium.write-default-head";
    private static final Path SHIPPED_HEAD = Path.of("src/main/resources" + SoftmaxHeadCodec.DEFAULT_HEAD_RESOURCE);
    private static final Path SHIPPED_EMBEDDINGS = Path.of("src/main/resources" + ExemplarEmbeddings.DEFAULT_RESOURCE);

    private static SentenceEncoder encoder;
    private static SkillTaxonomy defaults;

    @BeforeAll
    static void loadModel() {
        encoder = SkillClassifiers.miniLm(ClassifierSettings.DEFAULTS);
        defaults = SkillTaxonomy.defaults();
    }

    @AfterAll
    static void closeModel() {
        encoder.close();
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Test
    void should_embed_into_unit_vectors_that_put_related_questions_close() {
        // when
        float[] derivative = encoder.embed("How do I differentiate x squared?");
        float[] slope = encoder.embed("What is the derivative of x^2?");
        float[] landlord = encoder.embed("My landlord will not return my deposit.");

        // then
        assertThat(derivative).hasSize(384);
        assertThat(dot(derivative, derivative)).isCloseTo(1.0, within(1e-4));
        assertThat(dot(derivative, slope)).isGreaterThan(dot(derivative, landlord) + 0.2);
    }

    @Test
    void should_read_the_start_and_the_end_of_a_long_input_and_skip_its_middle() {
        // given: texts that agree on their first and last 100 words and differ in between
        String start = "word ".repeat(100);
        String end = " question ".repeat(100);

        // when
        float[] first = encoder.embed(start + "astronomy telescopes galaxies" + end);
        float[] second = encoder.embed(start + "contract law and tort claims" + end);
        float[] otherEnd = encoder.embed(start + "astronomy telescopes galaxies" + " tort ".repeat(100));

        // then
        assertThat(first).containsExactly(second, within(1e-6f));
        assertThat(dot(first, otherEnd)).isLessThan(0.99);
    }

    @Test
    void should_read_a_long_input_without_its_filler_words_and_a_short_one_whole() {
        // given: the same content words, with other articles and pronouns and without them
        String content = " planets orbit stars because gravity bends spacetime around massive bodies";
        String withFillers = "the planets orbit the stars because the gravity bends the spacetime around the massive bodies";
        String otherFillers = "our planets orbit their stars because my gravity bends its spacetime around those massive"
                + " bodies";

        float[] long1;
        float[] long2;
        float[] bare;
        float[] short1;
        float[] short2;
        try (SentenceEncoder skipping = SkillClassifiers.miniLm(new ClassifierSettings(64, 56, true,
                ClassifierSettings.FirstReading.OFF, 1, 0, UncertaintyThresholds.DEFAULTS))) {
            // when: long enough to exceed the window, and short
            long1 = skipping.embed((withFillers + ".\n").repeat(12));
            long2 = skipping.embed((otherFillers + ", ").repeat(12));
            bare = skipping.embed(content.repeat(12));
            short1 = skipping.embed(withFillers);
            short2 = skipping.embed(otherFillers);
        }

        // then
        assertThat(long1).containsExactly(long2, within(1e-6f));
        assertThat(long1).containsExactly(bare, within(1e-6f));
        assertThat(dot(short1, short2)).isLessThan(0.999);
    }

    @Test
    void should_read_a_huge_input_as_its_start_and_end_without_tokenising_all_of_it() {
        // given
        String start = "word ".repeat(100);
        String end = " question ".repeat(100);

        // when: two megabytes in the middle
        float[] huge = encoder.embed(start + "x".repeat(2_000_000) + end);
        float[] small = encoder.embed(start + "astronomy" + end);

        // then
        assertThat(huge).containsExactly(small, within(1e-6f));
    }

    @Test
    void should_read_a_huge_input_as_its_start_only_when_nothing_is_taken_from_its_end() {
        // given: the embedding models' window, which reads the first tokens of an input and no tail
        String start = "astronomy telescopes galaxies ".repeat(60);
        try (SentenceEncoder firstTokens = SkillClassifiers.miniLm(new ClassifierSettings(64, 0, false,
                ClassifierSettings.FirstReading.OFF, 1, 0, UncertaintyThresholds.DEFAULTS))) {

            // when: far more characters than the window can take, and a different ending
            float[] huge = firstTokens.embed(start + "contract law ".repeat(5_000));
            float[] plain = firstTokens.embed(start);

            // then
            assertThat(huge).containsExactly(plain, within(1e-6f));
        }
    }

    @Test
    void should_turn_a_first_reading_off_when_it_is_not_shorter_than_the_window() {
        // when: the window once suggested for speed, with the measured first reading of the same size
        ClassifierSettings settings = new ClassifierSettings(64, 56, true, ClassifierSettings.FirstReading.MEASURED,
                1, 0, UncertaintyThresholds.DEFAULTS);

        // then
        assertThat(settings.firstReading()).isEqualTo(ClassifierSettings.FirstReading.OFF);
        assertThat(ClassifierSettings.DEFAULTS.firstReading()).isEqualTo(ClassifierSettings.FirstReading.MEASURED);
    }

    @Test
    void should_read_a_long_input_through_the_first_window_and_its_opening_only_on_request() {
        // given: an input longer than both windows, and one that fits the first
        String longInput = "Our team moved the billing job to containers last quarter and the nightly run got slower."
                .repeat(6) + " Which measurements tell the likely causes apart?";
        String shortInput = "Why does my nightly billing job run slower in containers?";

        {
            // when: the default settings read a long input first through a shorter window
            SentenceEncoder.Reading longReading = encoder.read(longInput);
            SentenceEncoder.Reading shortReading = encoder.read(shortInput);

            // then: a partial first reading and the first 40 tokens as written; a short input is read once, whole
            assertThat(longReading.complete()).isFalse();
            assertThat(dot(longReading.first(), encoder.embed(longInput))).isLessThan(0.999);
            try (SentenceEncoder opening = SkillClassifiers.miniLm(new ClassifierSettings(40, 0, false,
                    ClassifierSettings.FirstReading.OFF, 1, 0, UncertaintyThresholds.DEFAULTS))) {
                assertThat(longReading.opening()).containsExactly(opening.embed(longInput), within(1e-6f));
            }
            assertThat(shortReading.complete()).isTrue();
            assertThat(shortReading.first()).containsExactly(encoder.embed(shortInput), within(1e-6f));
        }
        // without a first reading, a long input is read once, through the full window
        try (SentenceEncoder fullOnly = SkillClassifiers.miniLm(
                ClassifierSettings.DEFAULTS.withFirstReading(ClassifierSettings.FirstReading.OFF))) {
            SentenceEncoder.Reading once = fullOnly.read(longInput);
            assertThat(once.complete()).isTrue();
            assertThat(once.first()).containsExactly(encoder.embed(longInput), within(1e-6f));
        }
    }

    @Test
    void should_ship_a_head_trained_on_exactly_the_default_exemplars() throws IOException {
        if (Boolean.getBoolean(WRITE_HEAD)) {
            EmbeddingSkillClassifier trained = EmbeddingSkillClassifier.start(encoder, defaults, Optional.empty(),
                    UncertaintyThresholds.DEFAULTS);
            System.out.println("trained the shipped head: " + trained.lastTraining().orElseThrow());
            try (OutputStream out = Files.newOutputStream(SHIPPED_HEAD)) {
                SoftmaxHeadCodec.write(trained.head(), out);
            }
            try (OutputStream out = Files.newOutputStream(SHIPPED_EMBEDDINGS)) {
                ExemplarEmbeddings.write(encoder.id(), trained.exemplarEmbeddings(defaults), out);
            }
        }
        assertThat(SHIPPED_HEAD).exists();
        SoftmaxHead shipped;
        try (var in = Files.newInputStream(SHIPPED_HEAD)) {
            shipped = SoftmaxHeadCodec.read(in);
        }
        assertThat(shipped.fingerprint())
                .as("the shipped head is stale; rerun this test with -D" + WRITE_HEAD + "=true to retrain it")
                .isEqualTo(defaults.fingerprint());
        assertThat(shipped.labels()).isEqualTo(defaults.ids());
        Map<String, float[]> embeddings;
        try (var in = Files.newInputStream(SHIPPED_EMBEDDINGS)) {
            embeddings = ExemplarEmbeddings.read(in, encoder.id());
        }
        assertThat(embeddings.keySet())
                .as("the shipped exemplar embeddings are stale; rerun this test with -D" + WRITE_HEAD + "=true")
                .containsExactlyInAnyOrderElementsOf(defaults.skills().stream()
                        .flatMap(skill -> skill.exemplars().stream()).distinct().toList());
        String exemplar = defaults.skills().getFirst().exemplars().getFirst();
        assertThat(dot(embeddings.get(exemplar), encoder.embed(exemplar))).isGreaterThan(0.999);
    }

    @Test
    void should_classify_the_held_out_set_with_at_least_75_percent_top1() {
        // given
        EmbeddingSkillClassifier classifier = EmbeddingSkillClassifier.start(
                encoder, defaults, SoftmaxHeadCodec.readDefault(), UncertaintyThresholds.DEFAULTS);

        // when
        HeldOutEvaluation evaluation = HeldOutEvaluation.run(classifier, defaults.ids());
        System.out.println(evaluation.report());

        // then
        assertThat(evaluation.total()).isGreaterThanOrEqualTo(8 * defaults.skills().size());
        assertThat(evaluation.top1()).as("held-out top-1").isGreaterThanOrEqualTo(0.75);
        assertThat(evaluation.top3()).as("held-out top-3").isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void should_embed_and_classify_a_batch_as_it_does_each_text_alone() {
        // given: texts of different lengths, so the batch pads
        List<String> texts = List.of("What is the derivative of x squared?",
                "My landlord kept my deposit after I moved out of a clean flat; can I take him to court for it?",
                "hi", "Write a Python function that reverses a linked list in place without extra memory");
        TaxonomyService taxonomy = new TaxonomyService(SkillClassifiers.inMemoryStore());
        QueryClassifier classifier = SkillClassifiers.cached(
                SkillClassifiers.builtin(encoder, taxonomy, ClassifierSettings.DEFAULTS), 100);

        // when
        List<float[]> batch = encoder.embedAll(texts);
        List<SkillVector> vectors = classifier.classifyAll(texts);

        // then: the quantized model scales activations per run, so a batch is near, not bit-equal, to single runs
        for (int i = 0; i < texts.size(); i++) {
            assertThat(dot(batch.get(i), encoder.embed(texts.get(i)))).as("cosine of text %d", i).isGreaterThan(0.97);
            SkillVector alone = SkillClassifiers.builtin(encoder, taxonomy, ClassifierSettings.DEFAULTS).classify(texts.get(i));
            assertThat(vectors.get(i).skills().getFirst().id()).isEqualTo(alone.skills().getFirst().id());
            assertThat(vectors.get(i).skills().getFirst().score())
                    .isCloseTo(alone.skills().getFirst().score(), org.assertj.core.data.Offset.offset(0.05));
        }
    }

    @Test
    void should_learn_a_new_skill_when_the_taxonomy_changes() {
        // given
        TaxonomyService taxonomy = new TaxonomyService(SkillClassifiers.inMemoryStore());
        TrainableClassifier classifier = SkillClassifiers.builtin(encoder, taxonomy, ClassifierSettings.DEFAULTS);

        // when
        taxonomy.addSkill("cooking", "recipes, ingredients and kitchen technique", List.of(
                "How long should I roast a whole chicken at 200 degrees?",
                "What can I use instead of eggs when baking a cake?",
                "Give me a recipe for a quick weeknight pasta sauce",
                "Why did my bread dough not rise overnight?",
                "How do I make a roux for gravy without lumps?",
                "Best way to caramelise onions without burning them",
                "Is it safe to marinate fish in lemon juice for hours?",
                "How much salt goes into pizza dough for two pizzas?"));
        SkillVector vector = classifier.classify("what spices go well in a lentil soup recipe?");

        // then
        assertThat(classifier.lastTraining()).hasValueSatisfying(summary -> {
            assertThat(summary.skills()).isEqualTo(defaults.skills().size() + 1);
            assertThat(summary.fingerprint()).isEqualTo(taxonomy.current().fingerprint());
            assertThat(summary.crossValidatedTop1()).isGreaterThan(0.7);
            assertThat(summary.confusions()).isNotEmpty().allSatisfy(confusion ->
                    assertThat(confusion.actual()).isNotEqualTo(confusion.predicted()));
        });
        assertThat(vector.top().id()).isEqualTo("cooking");
    }
}
