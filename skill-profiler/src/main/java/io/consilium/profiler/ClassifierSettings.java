package io.consilium.profiler;

/**
 * Settings of the built-in classifier.
 *
 * @param maxTokens tokens of a query that are read (a cap keeps latency flat)
 * @param tailTokens of those, how many are taken from the end of a longer query, where its question
 *     or instruction usually is; the rest come from its start
 * @param skipFillerWords whether a query longer than {@code maxTokens} is read without its filler words
 *     (articles, pronouns, auxiliaries, punctuation...), so that the tokens read hold more of its topic
 * @param firstReading a shorter window a long query is read through first, its opening read as well only
 *     when that first reading is uncertain (off when it is not shorter than {@code maxTokens})
 * @param intraOpThreads threads one ONNX inference may use
 * @param cacheSize results remembered, by normalised text
 * @param thresholds when a classification counts as uncertain
 */
public record ClassifierSettings(int maxTokens, int tailTokens, boolean skipFillerWords, FirstReading firstReading,
        int intraOpThreads, int cacheSize, UncertaintyThresholds thresholds) {

    public static final ClassifierSettings DEFAULTS = new ClassifierSettings(96, 64, false, FirstReading.MEASURED, 1,
            10_000, UncertaintyThresholds.DEFAULTS);

    public ClassifierSettings {
        if (tailTokens < 0 || tailTokens > maxTokens - 2) {
            throw new IllegalArgumentException("tailTokens must be between 0 and maxTokens - 2 (" + (maxTokens - 2)
                    + "), but was " + tailTokens);
        }
        if (firstReading.maxTokens() >= maxTokens) {
            // A first window no shorter than the full one would cost no less: a short full window alone is
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
     * The cheaper window a query longer than it is read through instead of the full one. Inference costs
     * about the same per token read, so a long query confidently classified from fewer tokens costs less.
     * When that reading is uncertain, the query's opening is read too (the part the first window mostly
     * leaves out, as written) and the two readings' probabilities are averaged.
     *
     * @param maxTokens tokens read, special tokens included; 0 turns the first reading off
     * @param tailTokens of those, how many come from the end of the query
     * @param skipFillerWords whether filler words are left out before the window is taken
     * @param openingTokens tokens of the query's opening read when the first reading is uncertain
     */
    public record FirstReading(int maxTokens, int tailTokens, boolean skipFillerWords, int openingTokens) {

        public static final FirstReading OFF = new FirstReading(0, 0, false, 0);
        /**
         * The readings measured to keep the full window's accuracy (benchmarks/README, "A first reading"): the
         * first 8 and last 56 tokens without filler words, then the first 40 tokens as written.
         */
        public static final FirstReading MEASURED = new FirstReading(64, 56, true, 40);

        public FirstReading {
            if (maxTokens != 0 && (maxTokens < 8 || tailTokens < 0 || tailTokens > maxTokens - 2)) {
                throw new IllegalArgumentException("a first reading needs at least 8 tokens and tailTokens between 0"
                        + " and maxTokens - 2, but was " + maxTokens + " tokens, " + tailTokens + " from the end");
            }
            if (maxTokens != 0 && (openingTokens < 8 || openingTokens > 512)) {
                throw new IllegalArgumentException("the opening read after an uncertain first reading must be 8 to"
                        + " 512 tokens, but was " + openingTokens);
            }
        }

        public boolean enabled() {
            return maxTokens > 0;
        }
    }
}
