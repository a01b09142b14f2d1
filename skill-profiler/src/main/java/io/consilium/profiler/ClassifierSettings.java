package io.consilium.profiler;

/**
 * Settings of the built-in classifier.
 *
 * @param maxTokens tokens of a query that are read (a cap keeps latency flat)
 * @param tailTokens of those, how many are taken from the end of a longer query, where its question
 *     or instruction usually is; the rest come from its start
 * @param skipFillerWords whether a query longer than {@code maxTokens} is read without its filler words
 *     (articles, pronouns, auxiliaries, punctuation...), so that the tokens read hold more of its topic
 * @param firstReading a shorter window a long query is read through first; the full window reads it
 *     again only when that first reading is uncertain (off when it is not shorter than {@code maxTokens})
 * @param intraOpThreads threads one ONNX inference may use
 * @param cacheSize results remembered, by normalised text
 * @param thresholds when a classification counts as uncertain
 */
public record ClassifierSettings(int maxTokens, int tailTokens, boolean skipFillerWords, FirstReading firstReading,
        int intraOpThreads, int cacheSize, UncertaintyThresholds thresholds) {

    public static final ClassifierSettings DEFAULTS = new ClassifierSettings(96, 64, false, FirstReading.OFF, 1,
            10_000, UncertaintyThresholds.DEFAULTS);

    public ClassifierSettings {
        if (tailTokens < 0 || tailTokens > maxTokens - 2) {
            throw new IllegalArgumentException("tailTokens must be between 0 and maxTokens - 2 (" + (maxTokens - 2)
                    + "), but was " + tailTokens);
        }
        if (firstReading.maxTokens() >= maxTokens) {
            // A window no shorter than the full one would read everything twice: a short full window alone is
            // already the cheap reading.
            firstReading = FirstReading.OFF;
        }
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize must not be negative, but was " + cacheSize);
        }
    }

    /** The same settings with another first reading. */
    public ClassifierSettings withFirstReading(FirstReading reading) {
        return new ClassifierSettings(maxTokens, tailTokens, skipFillerWords, reading, intraOpThreads, cacheSize,
                thresholds);
    }

    /**
     * The cheaper window a query longer than it is read through first. Inference costs about the same per
     * token read, so a long query confidently classified from fewer tokens costs less; one whose first
     * reading is uncertain pays for both readings.
     *
     * @param maxTokens tokens read, special tokens included; 0 turns the first reading off
     * @param tailTokens of those, how many come from the end of the query
     * @param skipFillerWords whether filler words are left out before the window is taken
     */
    public record FirstReading(int maxTokens, int tailTokens, boolean skipFillerWords) {

        public static final FirstReading OFF = new FirstReading(0, 0, false);
        /**
         * The shorter window measured to keep the full window's top-3 accuracy within a point when it is the
         * first reading (benchmarks/README, "A first reading").
         */
        public static final FirstReading MEASURED = new FirstReading(64, 56, true);

        public FirstReading {
            if (maxTokens != 0 && (maxTokens < 8 || tailTokens < 0 || tailTokens > maxTokens - 2)) {
                throw new IllegalArgumentException("a first reading needs at least 8 tokens and tailTokens between 0"
                        + " and maxTokens - 2, but was " + maxTokens + " tokens, " + tailTokens + " from the end");
            }
        }

        public boolean enabled() {
            return maxTokens > 0;
        }
    }
}
