package io.consilium.profiler;

/**
 * Settings of the built-in classifier.
 *
 * @param maxTokens tokens of a query that are read (128 keeps latency flat)
 * @param intraOpThreads threads one ONNX inference may use
 * @param cacheSize results remembered, by normalised text
 * @param thresholds when a classification counts as uncertain
 */
public record ClassifierSettings(int maxTokens, int intraOpThreads, int cacheSize, UncertaintyThresholds thresholds) {

    public static final ClassifierSettings DEFAULTS = new ClassifierSettings(128, 1, 10_000, UncertaintyThresholds.DEFAULTS);

    public ClassifierSettings {
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize must not be negative, but was " + cacheSize);
        }
    }
}
