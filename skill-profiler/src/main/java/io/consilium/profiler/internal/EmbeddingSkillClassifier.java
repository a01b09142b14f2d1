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
 * The built-in classifier: a sentence embedding of the query scored two ways, by a trained softmax head
 * and by a vote of the nearest exemplars of each skill, the two probabilities averaged. The head
 * generalises over a skill's wording; the vote keeps inputs that sit near one exemplar of an unusual
 * shape and lets a skill added at run time compete with five exemplars. A request that neither asks
 * to translate nor mixes languages gets its translation probability damped, because an English-only
 * encoder puts foreign text and symbol-heavy text near the translation exemplars.
 *
 * <p>Head and vote are swapped together and atomically on retraining, so classification never waits
 * for training. Exemplar embeddings are remembered, so retraining after a small change embeds only the
 * new exemplars.
 */
public final class EmbeddingSkillClassifier implements TrainableClassifier {

    private static final int REPORTED_CONFUSIONS = 10;
    private static final double CONTENTION_PROBABILITY = 0.02;
    /** The skill whose probability the translation cue damps, when the taxonomy has it. */
    static final String TRANSLATION = "language.translation";

    /**
     * How the two scores are combined.
     *
     * @param voteWeight share of the exemplar vote in the averaged probabilities (the head has the rest)
     * @param voteTemperature softness of the vote's softmax over mean cosine similarities
     * @param translationDamping factor on the translation probability of a request with no translation cue
     */
    public record Scoring(double voteWeight, double voteTemperature, double translationDamping) {

        public static final Scoring DEFAULTS = new Scoring(0.5, 0.05, 0.1);

        public Scoring {
            if (!(voteWeight >= 0 && voteWeight <= 1)) {
                throw new IllegalArgumentException("voteWeight must be between 0 and 1, but was " + voteWeight);
            }
            if (!(voteTemperature > 0)) {
                throw new IllegalArgumentException("voteTemperature must be positive, but was " + voteTemperature);
            }
            if (!(translationDamping >= 0 && translationDamping <= 1)) {
                throw new IllegalArgumentException("translationDamping must be between 0 and 1, but was "
                        + translationDamping);
            }
        }
    }

    /** Head and vote trained on the same taxonomy, swapped as one. */
    private record Model(SoftmaxHead head, ExemplarVote vote, int translation) {}

    private final SentenceEncoder encoder;
    private final UncertaintyThresholds thresholds;
    private final Scoring scoring;
    private final @Nullable TranslationCue translationCue;
    private final SoftmaxHeadTrainer trainer = new SoftmaxHeadTrainer();
    private final Map<String, float[]> exemplarEmbeddings = new ConcurrentHashMap<>();
    private volatile Model model;
    private volatile @Nullable TrainingSummary lastTraining;

    private EmbeddingSkillClassifier(SentenceEncoder encoder, UncertaintyThresholds thresholds, Scoring scoring,
            @Nullable TranslationCue translationCue) {
        this.encoder = encoder;
        this.thresholds = thresholds;
        this.scoring = scoring;
        this.translationCue = translationCue;
    }

    /** Starts with the default scoring, no stored exemplar embeddings and no translation cue. */
    public static EmbeddingSkillClassifier start(SentenceEncoder encoder, SkillTaxonomy taxonomy,
            Optional<SoftmaxHead> trainedHead, UncertaintyThresholds thresholds) {
        return start(encoder, taxonomy, trainedHead, Map.of(), thresholds, Scoring.DEFAULTS, null);
    }

    /**
     * Starts with the given head when it was trained on exactly this taxonomy, otherwise trains one;
     * either way embeds every exemplar for the vote that has no stored embedding (a few milliseconds each).
     *
     * @param storedEmbeddings exemplar embeddings made earlier by this same encoder, by exemplar text
     * @param translationCue decides which requests may be about translation; null leaves that to the scores
     */
    public static EmbeddingSkillClassifier start(SentenceEncoder encoder, SkillTaxonomy taxonomy,
            Optional<SoftmaxHead> trainedHead, Map<String, float[]> storedEmbeddings, UncertaintyThresholds thresholds,
            Scoring scoring, @Nullable TranslationCue translationCue) {
        EmbeddingSkillClassifier classifier = new EmbeddingSkillClassifier(encoder, thresholds, scoring, translationCue);
        storedEmbeddings.forEach((exemplar, embedding) -> {
            if (embedding.length == encoder.dimension()) {
                classifier.exemplarEmbeddings.put(exemplar, embedding);
            }
        });
        Optional<SoftmaxHead> usable = trainedHead.filter(head -> head.fingerprint().equals(taxonomy.fingerprint())
                && head.dimension() == encoder.dimension());
        if (usable.isPresent()) {
            classifier.model = classifier.model(taxonomy, usable.get(), classifier.examples(taxonomy));
        } else {
            classifier.retrain(taxonomy);
        }
        return classifier;
    }

    /**
     * Classifies a long text from the encoder's cheaper first reading when that reading is certain; otherwise
     * (the uncertain first readings are most of the wrong ones) from the average of its probabilities and
     * those of a second reading, of the text's opening. Either way the result carries the first reading's
     * embedding, so that every long text is compared by the same reading.
     */
    @Override
    public SkillVector classify(String text) {
        Model current = model;
        SentenceEncoder.Reading reading = encoder.read(text);
        double[] first = probabilities(current, reading.first(), text);
        SkillVector firstVector = SkillVector.of(current.head().labels(), first, thresholds)
                .withEmbedding(reading.first());
        if (reading.complete() || !firstVector.uncertain()) {
            return firstVector;
        }
        double[] opening = probabilities(current, reading.opening(), text);
        double[] both = new double[first.length];
        for (int k = 0; k < both.length; k++) {
            both[k] = (first[k] + opening[k]) / 2;
        }
        return SkillVector.of(current.head().labels(), both, thresholds).withEmbedding(reading.first());
    }

    private SkillVector vector(Model current, float[] embedding, String text) {
        return SkillVector.of(current.head().labels(), probabilities(current, embedding, text), thresholds)
                .withEmbedding(embedding);
    }

    /** One encoder run for all the texts; head and vote are cheap and applied row by row. */
    @Override
    public List<SkillVector> classifyAll(List<String> texts) {
        Model current = model;
        List<float[]> embeddings = encoder.embedAll(texts);
        List<SkillVector> vectors = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            vectors.add(vector(current, embeddings.get(i), texts.get(i)));
        }
        return vectors;
    }

    private double[] probabilities(Model current, float[] embedding, String text) {
        double[] fromHead = current.head().probabilities(embedding);
        double[] fromVote = current.vote().probabilities(embedding);
        double[] combined = new double[fromHead.length];
        double total = 0;
        for (int k = 0; k < combined.length; k++) {
            combined[k] = (1 - scoring.voteWeight()) * fromHead[k] + scoring.voteWeight() * fromVote[k];
        }
        int translation = current.translation();
        // The cue costs more than the rest of the scoring; it can only matter when translation is in contention.
        if (translation >= 0 && translationCue != null && inContention(combined, translation)
                && !translationCue.mayAskForTranslation(text)) {
            combined[translation] *= scoring.translationDamping();
        }
        for (double p : combined) {
            total += p;
        }
        for (int k = 0; k < combined.length; k++) {
            combined[k] /= total;
        }
        return combined;
    }

    /** Whether a skill is among the three most probable, or probable enough to move the others' share. */
    private static boolean inContention(double[] probabilities, int skill) {
        if (probabilities[skill] >= CONTENTION_PROBABILITY) {
            return true;
        }
        int higher = 0;
        for (double p : probabilities) {
            if (p > probabilities[skill]) {
                higher++;
            }
        }
        return higher < 3;
    }

    private Model model(SkillTaxonomy taxonomy, SoftmaxHead head, List<SoftmaxHeadTrainer.Example> examples) {
        return new Model(head, ExemplarVote.of(examples, taxonomy.skills().size(), scoring.voteTemperature()),
                taxonomy.ids().indexOf(TRANSLATION));
    }

    @Override
    public synchronized TrainingSummary retrain(SkillTaxonomy taxonomy) {
        long started = System.nanoTime();
        List<SoftmaxHeadTrainer.Example> examples = examples(taxonomy);
        SoftmaxHeadTrainer.Result result = trainer.train(taxonomy.ids(), examples, taxonomy.fingerprint());
        model = model(taxonomy, result.head(), examples);
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

    /** The embeddings of the current taxonomy's exemplars, by exemplar text, for storing with the head. */
    public Map<String, float[]> exemplarEmbeddings(SkillTaxonomy taxonomy) {
        Map<String, float[]> embeddings = new java.util.LinkedHashMap<>();
        taxonomy.skills().forEach(skill -> skill.exemplars().forEach(exemplar ->
                embeddings.put(exemplar, exemplarEmbeddings.computeIfAbsent(exemplar, encoder::embed))));
        return embeddings;
    }

    /** The head in use. */
    public SoftmaxHead head() {
        return model.head();
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
}
