package io.consilium.profiler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.consilium.profiler.ClassifierException;
import io.consilium.profiler.SkillScore;
import io.consilium.profiler.SkillVector;
import io.consilium.profiler.UncertaintyThresholds;
import io.consilium.profiler.testing.TinyOnnxModels;
import io.consilium.profiler.testing.TinyOnnxModels.Spec;
import io.consilium.profiler.testing.TinyOnnxModels.TinyModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxSequenceClassifierTest {

    private static final int MAX_TOKENS = 128;
    private static final int LABELS = 3;
    private static final UncertaintyThresholds THRESHOLDS = UncertaintyThresholds.DEFAULTS;
    private static final List<String> SENTENCES = List.of(
            "What is the derivative of a function?",
            "Translate this poem about the sea to French",
            "how do I write Python code",
            "Explain why the sky is blue",
            "history of the war");
    /** What the Whitespace pre-tokenizer splits on: runs of word characters, or of other non-space ones. */
    private static final Pattern PRE_TOKENS = Pattern.compile("\\w+|[^\\w\\s]+");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "token_type_ids declared: {0}")
    @ValueSource(booleans = {false, true})
    void should_reproduce_reference_probabilities_when_run_with_or_without_token_type_ids(boolean withTokenTypeIds) {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, withTokenTypeIds, 42);

        try (OnnxSequenceClassifier classifier = load(model, TinyOnnxModels.labels(LABELS), MAX_TOKENS)) {
            for (String sentence : SENTENCES) {
                // when
                SkillVector vector = classifier.classify(sentence);

                // then
                assertMatchesReference(vector, model, sentence, MAX_TOKENS);
            }
        }
    }

    @Test
    void should_map_unknown_words_to_unk_when_they_are_not_in_the_vocabulary() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, false, 7);

        try (OnnxSequenceClassifier classifier = load(model, TinyOnnxModels.labels(LABELS), MAX_TOKENS)) {
            // when
            SkillVector first = classifier.classify("what is zyzzyva");
            SkillVector second = classifier.classify("what is quokka");
            SkillVector known = classifier.classify("what is java");

            // then
            assertThat(referenceIds(model, "what is zyzzyva", MAX_TOKENS))
                    .containsExactly(id("[CLS]"), id("what"), id("is"), id("[UNK]"), id("[SEP]"));
            assertMatchesReference(first, model, "what is zyzzyva", MAX_TOKENS);
            assertThat(second).isEqualTo(first);
            assertThat(known.probability("skill.0")).isNotCloseTo(first.probability("skill.0"), within(1e-6));
        }
    }

    @Test
    void should_truncate_to_max_tokens_when_the_query_is_longer() {
        // given: 8 tokens leave room for [CLS], six words and [SEP]
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, true, 11);
        String prefix = "how do i write python code";
        String longer = prefix + " in java to solve the equation about the sea";

        try (OnnxSequenceClassifier classifier = load(model, TinyOnnxModels.labels(LABELS), 8);
                OnnxSequenceClassifier untruncated = load(model, TinyOnnxModels.labels(LABELS), MAX_TOKENS)) {
            // when
            SkillVector truncated = classifier.classify(longer);

            // then
            assertThat(truncated).isEqualTo(classifier.classify(prefix));
            assertMatchesReference(truncated, model, prefix, MAX_TOKENS);
            assertThat(untruncated.classify(longer).probability("skill.0"))
                    .isNotCloseTo(truncated.probability("skill.0"), within(1e-6));
        }
    }

    @Test
    void should_sort_skills_by_probability_when_classifying() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, 5, false, 3);

        try (OnnxSequenceClassifier classifier = load(model, TinyOnnxModels.labels(5), MAX_TOKENS)) {
            // when
            SkillVector vector = classifier.classify("Explain why the sky is blue");

            // then
            double[] expected = referenceProbabilities(model, "Explain why the sky is blue", MAX_TOKENS);
            int best = 0;
            for (int i = 1; i < expected.length; i++) {
                best = expected[i] > expected[best] ? i : best;
            }
            assertThat(vector.skills()).hasSize(5)
                    .isSortedAccordingTo(Comparator.comparingDouble(SkillScore::score).reversed());
            assertThat(vector.top().id()).isEqualTo("skill." + best);
            assertThat(vector.skills().stream().mapToDouble(SkillScore::score).sum()).isCloseTo(1.0, within(1e-6));
        }
    }

    @Test
    void should_flag_uncertain_when_the_distribution_is_flat() {
        // given: a zero head gives equal logits for every label
        TinyModel flat = TinyOnnxModels.sequenceClassifier(dir.resolve("flat"), Spec.of(4, false, 5).withHeadScale(0));
        TinyModel peaked = TinyOnnxModels.sequenceClassifier(dir.resolve("peaked"),
                Spec.of(4, false, 5).withHeadScale(20));

        try (OnnxSequenceClassifier flatClassifier = load(flat, TinyOnnxModels.labels(4), MAX_TOKENS);
                OnnxSequenceClassifier peakedClassifier = load(peaked, TinyOnnxModels.labels(4), MAX_TOKENS)) {
            // when
            SkillVector unsure = flatClassifier.classify("what is the derivative of a function");
            SkillVector sure = peakedClassifier.classify("what is the derivative of a function");

            // then
            assertThat(unsure.skills()).extracting(SkillScore::score)
                    .allSatisfy(score -> assertThat(score).isCloseTo(0.25, within(1e-6)));
            assertThat(unsure.uncertain()).isTrue();
            assertThat(sure.top().score()).isGreaterThan(0.9);
            assertThat(sure.uncertain()).isFalse();
        }
    }

    @Test
    void should_return_a_flat_uncertain_vector_when_the_tokenizer_yields_no_tokens() throws Exception {
        // given: without [CLS] … [SEP], blank text has nothing for the model to pool
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, false, 29);
        Files.writeString(model.tokenizer(), TinyOnnxModels.tokenizerJson(false));

        try (OnnxSequenceClassifier classifier = load(model, TinyOnnxModels.labels(LABELS), MAX_TOKENS)) {
            // when
            SkillVector vector = classifier.classify("   ");

            // then
            assertThat(vector.skills()).extracting(SkillScore::score)
                    .allSatisfy(score -> assertThat(score).isCloseTo(1.0 / LABELS, within(1e-9)));
            assertThat(vector.uncertain()).isTrue();
        }
    }

    @Test
    void should_read_the_output_named_logits_when_another_output_comes_first() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, Spec.of(LABELS, false, 13).withPooledOutputFirst());

        try (OnnxSequenceClassifier classifier = load(model, TinyOnnxModels.labels(LABELS), MAX_TOKENS)) {
            // when
            SkillVector vector = classifier.classify(SENTENCES.getFirst());

            // then
            assertMatchesReference(vector, model, SENTENCES.getFirst(), MAX_TOKENS);
        }
    }

    @Test
    void should_read_the_first_output_when_none_is_named_logits() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, Spec.of(LABELS, true, 17).withLogitsName("scores"));

        try (OnnxSequenceClassifier classifier = load(model, TinyOnnxModels.labels(LABELS), MAX_TOKENS)) {
            // when
            SkillVector vector = classifier.classify(SENTENCES.get(1));

            // then
            assertMatchesReference(vector, model, SENTENCES.get(1), MAX_TOKENS);
        }
    }

    @Test
    void should_give_identical_results_when_used_from_several_threads() throws Exception {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, true, 23);
        try (OnnxSequenceClassifier classifier = load(model, TinyOnnxModels.labels(LABELS), MAX_TOKENS);
                ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<SkillVector> sequential = SENTENCES.stream().map(classifier::classify).toList();
            List<Callable<List<SkillVector>>> tasks = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                tasks.add(() -> {
                    List<SkillVector> results = new ArrayList<>();
                    for (int round = 0; round < 25; round++) {
                        SENTENCES.forEach(sentence -> results.add(classifier.classify(sentence)));
                    }
                    return results;
                });
            }

            // when
            List<Future<List<SkillVector>>> futures = pool.invokeAll(tasks);

            // then
            for (Future<List<SkillVector>> future : futures) {
                List<SkillVector> results = future.get();
                for (int i = 0; i < results.size(); i++) {
                    assertThat(results.get(i)).isEqualTo(sequential.get(i % SENTENCES.size()));
                }
            }
        }
    }

    @Test
    void should_fail_naming_the_file_when_the_model_is_missing() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, false, 1);
        Path missing = dir.resolve("absent.onnx");

        // when / then
        assertThatThrownBy(() -> OnnxSequenceClassifier.load(missing, model.tokenizer(), TinyOnnxModels.labels(LABELS),
                THRESHOLDS, MAX_TOKENS, 1))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void should_fail_naming_the_file_when_the_model_is_a_directory() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, false, 1);

        // when / then
        assertThatThrownBy(() -> OnnxSequenceClassifier.load(dir, model.tokenizer(), TinyOnnxModels.labels(LABELS),
                THRESHOLDS, MAX_TOKENS, 1))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("not a regular file");
    }

    @Test
    void should_fail_naming_the_file_when_the_model_is_not_onnx() throws Exception {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, false, 1);
        byte[] garbage = new byte[4096];
        new Random(99).nextBytes(garbage);
        Files.write(model.model(), garbage);

        // when / then
        assertThatThrownBy(() -> load(model, TinyOnnxModels.labels(LABELS), MAX_TOKENS))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining(model.model().toString())
                .hasMessageContaining("cannot load ONNX model");
    }

    @Test
    void should_fail_naming_the_file_when_the_tokenizer_is_missing() throws Exception {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, false, 1);
        Files.delete(model.tokenizer());

        // when / then
        assertThatThrownBy(() -> load(model, TinyOnnxModels.labels(LABELS), MAX_TOKENS))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining(model.tokenizer().toString())
                .hasMessageContaining("does not exist");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{not json", "{\"model\": 42}", ""})
    void should_fail_naming_the_file_when_the_tokenizer_json_is_invalid(String content) throws Exception {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, false, 1);
        Files.writeString(model.tokenizer(), content);

        // when / then
        assertThatThrownBy(() -> load(model, TinyOnnxModels.labels(LABELS), MAX_TOKENS))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining(model.tokenizer().toString())
                .hasMessageContaining("not a valid tokenizer.json");
    }

    @Test
    void should_fail_naming_the_file_when_the_model_lacks_input_ids() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, Spec.of(LABELS, false, 1).withInputIdsName("ids"));

        // when / then
        assertThatThrownBy(() -> load(model, TinyOnnxModels.labels(LABELS), MAX_TOKENS))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining(model.model().toString())
                .hasMessageContaining("lacks the input 'input_ids'");
    }

    @Test
    void should_fail_naming_the_file_when_the_model_lacks_attention_mask() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir,
                Spec.of(LABELS, true, 1).withAttentionMaskName("mask"));

        // when / then
        assertThatThrownBy(() -> load(model, TinyOnnxModels.labels(LABELS), MAX_TOKENS))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining(model.model().toString())
                .hasMessageContaining("lacks the input 'attention_mask'");
    }

    @Test
    void should_fail_on_load_naming_the_file_when_the_label_count_differs_from_static_logits() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, false, 1);

        // when / then
        assertThatThrownBy(() -> load(model, TinyOnnxModels.labels(LABELS + 1), MAX_TOKENS))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining(model.model().toString())
                .hasMessageContaining("has 3 logits but 4 labels");
    }

    @Test
    void should_fail_on_first_inference_naming_the_file_when_the_label_count_differs_from_dynamic_logits() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, Spec.of(LABELS, false, 1).withDynamicLabels());

        try (OnnxSequenceClassifier classifier = load(model, TinyOnnxModels.labels(LABELS - 1), MAX_TOKENS)) {
            // when / then
            assertThatThrownBy(() -> classifier.classify("what is java"))
                    .isInstanceOf(ClassifierException.class)
                    .hasMessageContaining(model.model().toString())
                    .hasMessageContaining("[1, 3]")
                    .hasMessageContaining("2 labels");
        }
    }

    @Test
    void should_classify_when_the_label_dimension_is_dynamic_and_matches() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, Spec.of(LABELS, false, 2).withDynamicLabels());

        try (OnnxSequenceClassifier classifier = load(model, TinyOnnxModels.labels(LABELS), MAX_TOKENS)) {
            // when
            SkillVector vector = classifier.classify(SENTENCES.get(2));

            // then
            assertMatchesReference(vector, model, SENTENCES.get(2), MAX_TOKENS);
        }
    }

    @Test
    void should_fail_naming_the_file_when_labels_repeat() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, false, 1);

        // when / then
        assertThatThrownBy(() -> load(model, List.of("math", "code", "math"), MAX_TOKENS))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining(model.model().toString())
                .hasMessageContaining("duplicates [math]");
    }

    @Test
    void should_fail_naming_the_file_when_labels_are_empty() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, false, 1);

        // when / then
        assertThatThrownBy(() -> load(model, List.of(), MAX_TOKENS))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining(model.model().toString())
                .hasMessageContaining("no labels");
    }

    @Test
    void should_reject_settings_out_of_range_when_loading() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, false, 1);

        // when / then
        assertThatThrownBy(() -> load(model, TinyOnnxModels.labels(LABELS), 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was 4");
        assertThatThrownBy(() -> OnnxSequenceClassifier.load(model.model(), model.tokenizer(),
                TinyOnnxModels.labels(LABELS), THRESHOLDS, MAX_TOKENS, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was 0");
    }

    @Test
    void should_ignore_a_second_close_when_already_closed() {
        // given
        TinyModel model = TinyOnnxModels.sequenceClassifier(dir, LABELS, false, 1);
        OnnxSequenceClassifier classifier = load(model, TinyOnnxModels.labels(LABELS), MAX_TOKENS);
        classifier.close();

        // when / then
        assertThatCode(classifier::close).doesNotThrowAnyException();
    }

    private static OnnxSequenceClassifier load(TinyModel model, List<String> labels, int maxTokens) {
        return OnnxSequenceClassifier.load(model.model(), model.tokenizer(), labels, THRESHOLDS, maxTokens, 1);
    }

    private static void assertMatchesReference(SkillVector vector, TinyModel model, String sentence, int maxTokens) {
        double[] expected = referenceProbabilities(model, sentence, maxTokens);
        assertThat(vector.skills()).hasSize(expected.length);
        for (int label = 0; label < expected.length; label++) {
            assertThat(vector.probability("skill." + label))
                    .as("P(skill.%d | %s)", label, sentence)
                    .isCloseTo(expected[label], within(1e-5));
        }
    }

    /** The model's arithmetic in plain Java: mean of the token rows, times W, plus b, then softmax. */
    private static double[] referenceProbabilities(TinyModel model, String sentence, int maxTokens) {
        long[] ids = referenceIds(model, sentence, maxTokens);
        int dimension = TinyOnnxModels.DIMENSION;
        double[] pooled = new double[dimension];
        for (long id : ids) {
            for (int d = 0; d < dimension; d++) {
                // every token has type id 0 for a single sentence
                float typeVector = model.tokenTypeEmbeddings() == null ? 0 : model.tokenTypeEmbeddings()[0][d];
                pooled[d] += model.embeddings()[(int) id][d] + typeVector;
            }
        }
        int labels = model.bias().length;
        double[] logits = new double[labels];
        double max = Double.NEGATIVE_INFINITY;
        for (int label = 0; label < labels; label++) {
            logits[label] = model.bias()[label];
            for (int d = 0; d < dimension; d++) {
                logits[label] += pooled[d] / ids.length * model.weights()[d][label];
            }
            max = Math.max(max, logits[label]);
        }
        double sum = 0;
        double[] probabilities = new double[labels];
        for (int label = 0; label < labels; label++) {
            probabilities[label] = Math.exp(logits[label] - max);
            sum += probabilities[label];
        }
        for (int label = 0; label < labels; label++) {
            probabilities[label] /= sum;
        }
        return probabilities;
    }

    /** Token ids as the tokenizer.json defines them: lowercase, split, look up, wrap in [CLS] … [SEP]. */
    private static long[] referenceIds(TinyModel model, String sentence, int maxTokens) {
        List<Long> ids = new ArrayList<>();
        ids.add((long) model.vocab().indexOf(TinyOnnxModels.CLS));
        Matcher words = PRE_TOKENS.matcher(sentence.toLowerCase(Locale.ROOT));
        while (words.find() && ids.size() < maxTokens - 1) {
            int id = model.vocab().indexOf(words.group());
            ids.add((long) (id >= 0 ? id : model.vocab().indexOf(TinyOnnxModels.UNK)));
        }
        ids.add((long) model.vocab().indexOf(TinyOnnxModels.SEP));
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private static long id(String token) {
        return TinyOnnxModels.VOCAB.indexOf(token);
    }
}
