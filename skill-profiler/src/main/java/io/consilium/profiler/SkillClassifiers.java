package io.consilium.profiler;

import io.consilium.profiler.internal.CachedQueryClassifier;
import io.consilium.profiler.internal.EmbeddingSkillClassifier;
import io.consilium.profiler.internal.ExemplarEmbeddings;
import io.consilium.profiler.internal.FillerWords;
import io.consilium.profiler.internal.InMemoryTaxonomyStore;
import io.consilium.profiler.internal.OnnxSentenceEncoder;
import io.consilium.profiler.internal.SoftmaxHeadCodec;
import io.consilium.profiler.internal.TranslationCue;
import java.util.Set;

/** Factories for the taxonomy store and the classifiers. */
public final class SkillClassifiers {

    private SkillClassifiers() {}

    /** A taxonomy store that keeps changes in this process only. */
    public static TaxonomyStore inMemoryStore() {
        return new InMemoryTaxonomyStore();
    }

    /**
     * The all-MiniLM-L6-v2 encoder shipped inside LangChain4j's embeddings jar, reading a long input
     * through the settings' first reading instead of its full window when they have one.
     */
    public static SentenceEncoder miniLm(ClassifierSettings settings) {
        ClassifierSettings.FirstReading first = settings.firstReading();
        return new OnnxSentenceEncoder(OnnxSentenceEncoder.MINI_LM,
                new OnnxSentenceEncoder.Window(settings.maxTokens(), settings.tailTokens(),
                        fillerWords(settings.skipFillerWords())),
                first.enabled() ? new OnnxSentenceEncoder.FirstReading(new OnnxSentenceEncoder.Window(
                        first.maxTokens(), first.tailTokens(), fillerWords(first.skipFillerWords())),
                        first.openingTokens()) : null,
                settings.intraOpThreads());
    }

    private static Set<String> fillerWords(boolean skipped) {
        return skipped ? FillerWords.ENGLISH : Set.of();
    }

    /**
     * The built-in classifier for the taxonomy's current version, starting from the shipped head when it
     * matches and retraining whenever the taxonomy changes.
     */
    public static TrainableClassifier builtin(SentenceEncoder encoder, TaxonomyService taxonomy,
            ClassifierSettings settings) {
        EmbeddingSkillClassifier classifier = EmbeddingSkillClassifier.start(
                encoder, taxonomy.current(), SoftmaxHeadCodec.readDefault(), ExemplarEmbeddings.readDefault(encoder.id()),
                settings.thresholds(),
                EmbeddingSkillClassifier.Scoring.DEFAULTS, TranslationCue.load());
        taxonomy.onChange(classifier::retrain);
        return classifier;
    }

    /** Wraps a classifier with a bounded cache of results keyed by normalised text. */
    public static CachingClassifier cached(QueryClassifier classifier, int maxEntries) {
        CachedQueryClassifier cached = new CachedQueryClassifier(classifier, maxEntries);
        return new CachingClassifier() {
            @Override
            public SkillVector classify(String text) {
                return cached.classify(text);
            }

            @Override
            public void invalidateAll() {
                cached.invalidateAll();
            }
        };
    }

    /** A classifier with a result cache that can be dropped when the model behind it changes. */
    public interface CachingClassifier extends QueryClassifier {
        void invalidateAll();
    }
}
