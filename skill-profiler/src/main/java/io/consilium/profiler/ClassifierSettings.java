package io.consilium.profiler;

/**
 * Settings of the built-in classifier.
 *
 * @param maxTokens tokens of a query that are read (a cap keeps latency flat)
 * @param tailTokens of those, how many are taken from the end of a longer query, where its question
 *     or instruction usually is; the rest come from its start
 * @param skipFillerWords whether a query longer than {@code maxTokens} is read without its filler words
 *     (articles, pronouns, auxiliaries, punctuation...), so that the tokens read hold more of its topic
 * @param intraOpThreads threads one ONNX inference may use
 * @param cacheSize results remembered, by normalised text
 * @param thresholds when a classification counts as uncertain
 */
public record ClassifierSettings(int maxTokens, int tailTokens, boolean skipFillerWords, int intraOpThreads,
        int cacheSize, UncertaintyThresholds thresholds) {

    public static final ClassifierSettings DEFAULTS =
            new ClassifierSettings(96, 64, false, 1, 10_000, UncertaintyThresholds.DEFAULTS);

    public ClassifierSettings {
        if (tailTokens < 0 || tailTokens > maxTokens - 2) {
            throw new IllegalArgumentException("tailTokens must be between 0 and maxTokens - 2 (" + (maxTokens - 2)
                    + "), but was " + tailTokens);
        }
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize must not be negative, but was " + cacheSize);
        }
    }
}
