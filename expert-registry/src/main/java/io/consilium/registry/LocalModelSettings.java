package io.consilium.registry;

/**
 * How local ONNX experts ({@code provider: onnx}) are run: how much memory their models may hold
 * together, how many prompts one generation pass takes, and how many threads one pass may use.
 * Immutable; build with {@link #custom()}.
 */
public final class LocalModelSettings {

    private static final long MIB = 1024L * 1024;

    private final long memoryBudgetBytes;
    private final int maxBatchSize;
    private final int intraOpThreads;
    private final int defaultMaxTokens;

    private LocalModelSettings(Builder b) {
        this.memoryBudgetBytes = b.memoryBudgetBytes;
        this.maxBatchSize = b.maxBatchSize;
        this.intraOpThreads = b.intraOpThreads;
        this.defaultMaxTokens = b.defaultMaxTokens;
    }

    /** 2 GiB of models, batches of up to 8 prompts, one inference thread per core. */
    public static LocalModelSettings ofDefaults() {
        return custom().build();
    }

    public static Builder custom() {
        return new Builder();
    }

    /** A builder holding these values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder()
                .memoryBudgetBytes(memoryBudgetBytes)
                .maxBatchSize(maxBatchSize)
                .intraOpThreads(intraOpThreads)
                .defaultMaxTokens(defaultMaxTokens);
    }

    /**
     * Memory all resident models may take together, estimated from their weight files. Loading a model
     * that would exceed it first unloads the least recently used models that no call is using.
     */
    public long memoryBudgetBytes() {
        return memoryBudgetBytes;
    }

    /** The most prompts run together in one generation pass; larger batches are split. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** Threads one forward pass may use (ONNX Runtime's intra-op threads), per model. */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /**
     * Completion tokens generated when neither the request ({@code max_tokens},
     * {@code max_completion_tokens}) nor the model's {@code generation_config.json} says how many.
     */
    public int defaultMaxTokens() {
        return defaultMaxTokens;
    }

    @Override
    public String toString() {
        return "LocalModelSettings[memoryBudgetBytes=" + memoryBudgetBytes + ", maxBatchSize=" + maxBatchSize
                + ", intraOpThreads=" + intraOpThreads + ", defaultMaxTokens=" + defaultMaxTokens + "]";
    }

    /** Validating builder; every setter rejects a bad value with a message that names it. */
    public static final class Builder {

        private long memoryBudgetBytes = 2048 * MIB;
        private int maxBatchSize = 8;
        private int intraOpThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int defaultMaxTokens = 256;

        private Builder() {}

        public Builder memoryBudgetBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("memoryBudgetBytes must be positive, but was " + bytes);
            }
            this.memoryBudgetBytes = bytes;
            return this;
        }

        public Builder maxBatchSize(int prompts) {
            if (prompts < 1 || prompts > 256) {
                throw new IllegalArgumentException("maxBatchSize must be between 1 and 256, but was " + prompts);
            }
            this.maxBatchSize = prompts;
            return this;
        }

        public Builder intraOpThreads(int threads) {
            if (threads < 1 || threads > 1024) {
                throw new IllegalArgumentException("intraOpThreads must be between 1 and 1024, but was " + threads);
            }
            this.intraOpThreads = threads;
            return this;
        }

        public Builder defaultMaxTokens(int tokens) {
            if (tokens < 1 || tokens > 1_000_000) {
                throw new IllegalArgumentException("defaultMaxTokens must be between 1 and 1000000, but was " + tokens);
            }
            this.defaultMaxTokens = tokens;
            return this;
        }

        public LocalModelSettings build() {
            return new LocalModelSettings(this);
        }
    }
}
