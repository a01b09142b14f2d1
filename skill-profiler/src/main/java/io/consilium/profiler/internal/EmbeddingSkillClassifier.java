package io.consilium.profiler.internal;

import io.consilium.profiler.SentenceEncoder;
import io.consilium.profiler.Skill;
import io.consilium.profiler.SkillTaxonomy;
import io.consilium.profiler.SkillVector;
import io.consilium.profiler.TrainableClassifier;
import io.consilium.profiler.TrainingSummary;
import io.consilium.profiler.UncertaintyThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The built-in classifier: a sentence embedding of the query fed to a trained softmax head. The head
 * is swapped atomically on retraining, so classification never waits for training. Exemplar
 * embeddings are remembered, so retraining after a small change embeds only the new exemplars.
 */
public final class EmbeddingSkillClassifier implements TrainableClassifier {

    private static final int REPORTED_CONFUSIONS = 10;

    private final SentenceEncoder encoder;
    private final UncertaintyThresholds thresholds;
    private final SoftmaxHeadTrainer trainer = new SoftmaxHeadTrainer();
    private final Map<String, float[]> exemplarEmbeddings = new ConcurrentHashMap<>();
    private volatile SoftmaxHead head;
    private volatile @Nullable TrainingSummary lastTraining;

    private EmbeddingSkillClassifier(SentenceEncoder encoder, UncertaintyThresholds thresholds, SoftmaxHead head) {
        this.encoder = encoder;
        this.thresholds = thresholds;
        this.head = head;
    }

    /**
     * Starts with the given head when it was trained on exactly this taxonomy, otherwise trains one
     * (which embeds every exemplar, a few seconds).
     */
    public static EmbeddingSkillClassifier start(SentenceEncoder encoder, SkillTaxonomy taxonomy,
            Optional<SoftmaxHead> trainedHead, UncertaintyThresholds thresholds) {
        Optional<SoftmaxHead> usable = trainedHead.filter(head -> head.fingerprint().equals(taxonomy.fingerprint())
                && head.dimension() == encoder.dimension());
        if (usable.isPresent()) {
            return new EmbeddingSkillClassifier(encoder, thresholds, usable.get());
        }
        EmbeddingSkillClassifier classifier = new EmbeddingSkillClassifier(encoder, thresholds,
                emptyHead(taxonomy, encoder.dimension()));
        classifier.retrain(taxonomy);
        return classifier;
    }

    @Override
    public SkillVector classify(String text) {
        SoftmaxHead current = head;
        return SkillVector.of(current.labels(), current.probabilities(encoder.embed(text)), thresholds);
    }

    /** One encoder run for all the texts; the head is cheap and applied row by row. */
    @Override
    public List<SkillVector> classifyAll(List<String> texts) {
        SoftmaxHead current = head;
        return encoder.embedAll(texts).stream()
                .map(embedding -> SkillVector.of(current.labels(), current.probabilities(embedding), thresholds))
                .toList();
    }

    @Override
    public synchronized TrainingSummary retrain(SkillTaxonomy taxonomy) {
        long started = System.nanoTime();
        SoftmaxHeadTrainer.Result result = trainer.train(taxonomy.ids(), examples(taxonomy), taxonomy.fingerprint());
        head = result.head();
        SoftmaxHeadTrainer.CrossValidation validation = result.crossValidation();
        TrainingSummary summary = new TrainingSummary(taxonomy.fingerprint(), taxonomy.skills().size(),
                validation.actual().length, validation.topK(1), validation.topK(3), result.head().temperature(),
                (System.nanoTime() - started) / 1_000_000, validation.confusions(taxonomy.ids(), REPORTED_CONFUSIONS));
        lastTraining = summary;
        return summary;
    }

    @Override
    public Optional<TrainingSummary> lastTraining() {
        return Optional.ofNullable(lastTraining);
    }

    /** The head in use. */
    public SoftmaxHead head() {
        return head;
    }

    /** Embeds the exemplars (reusing earlier embeddings) and pairs each with its skill's index. */
    List<SoftmaxHeadTrainer.Example> examples(SkillTaxonomy taxonomy) {
        List<SoftmaxHeadTrainer.Example> examples = new ArrayList<>();
        List<Skill> skills = taxonomy.skills();
        for (int label = 0; label < skills.size(); label++) {
            for (String exemplar : skills.get(label).exemplars()) {
                examples.add(new SoftmaxHeadTrainer.Example(
                        exemplarEmbeddings.computeIfAbsent(exemplar, encoder::embed), label));
            }
        }
        return examples;
    }

    private static SoftmaxHead emptyHead(SkillTaxonomy taxonomy, int dimension) {
        int classes = taxonomy.skills().size();
        return new SoftmaxHead(taxonomy.ids(), new float[classes][dimension], new float[classes], 1, "");
    }
}
