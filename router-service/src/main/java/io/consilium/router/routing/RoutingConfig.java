package io.consilium.router.routing;

import java.time.Duration;

/**
 * How the routing policies recruit experts and how long a virtual-model request may take. Immutable;
 * built once from the bound properties with {@link #custom()}, every value checked.
 */
public final class RoutingConfig {

    private final int defaultK;
    private final int maxK;
    private final double dominance;
    private final double confidentProbability;
    private final int reserves;
    private final Duration deadline;
    private final int expectedCompletionTokens;

    private RoutingConfig(Builder b) {
        this.defaultK = b.defaultK;
        this.maxK = b.maxK;
        this.dominance = b.dominance;
        this.confidentProbability = b.confidentProbability;
        this.reserves = b.reserves;
        this.deadline = b.deadline;
        this.expectedCompletionTokens = b.expectedCompletionTokens;
    }

    public static RoutingConfig ofDefaults() {
        return custom().build();
    }

    public static Builder custom() {
        return new Builder();
    }

    /** Experts recruited when nothing argues for more or fewer. */
    public int defaultK() {
        return defaultK;
    }

    /** Experts recruited when the classification is uncertain. */
    public int maxK() {
        return maxK;
    }

    /** The best expert is recruited alone when its score is at least this many times the runner-up's. */
    public double dominance() {
        return dominance;
    }

    /** A top skill at least this probable recruits one expert fewer. */
    public double confidentProbability() {
        return confidentProbability;
    }

    /** Next-best experts kept ready to replace one that fails before answering. */
    public int reserves() {
        return reserves;
    }

    /** The whole request's deadline, experts and aggregator included. */
    public Duration deadline() {
        return deadline;
    }

    /** Completion length assumed for cost estimates when a request sets no limit. */
    public int expectedCompletionTokens() {
        return expectedCompletionTokens;
    }

    public static final class Builder {

        private int defaultK = 3;
        private int maxK = 5;
        private double dominance = 1.3;
        private double confidentProbability = 0.8;
        private int reserves = 2;
        private Duration deadline = Duration.ofSeconds(60);
        private int expectedCompletionTokens = 512;

        private Builder() {}

        public Builder defaultK(int defaultK) {
            if (defaultK < 1 || defaultK > RoutingOptions.MAX_K) {
                throw new IllegalArgumentException("defaultK must be from 1 to " + RoutingOptions.MAX_K + ", but was " + defaultK);
            }
            this.defaultK = defaultK;
            return this;
        }

        public Builder maxK(int maxK) {
            if (maxK < 1 || maxK > RoutingOptions.MAX_K) {
                throw new IllegalArgumentException("maxK must be from 1 to " + RoutingOptions.MAX_K + ", but was " + maxK);
            }
            this.maxK = maxK;
            return this;
        }

        public Builder dominance(double dominance) {
            if (!(dominance >= 1)) {
                throw new IllegalArgumentException("dominance must be at least 1, but was " + dominance);
            }
            this.dominance = dominance;
            return this;
        }

        public Builder confidentProbability(double confidentProbability) {
            if (!(confidentProbability > 0 && confidentProbability <= 1)) {
                throw new IllegalArgumentException(
                        "confidentProbability must be above 0 and at most 1, but was " + confidentProbability);
            }
            this.confidentProbability = confidentProbability;
            return this;
        }

        public Builder reserves(int reserves) {
            if (reserves < 0 || reserves > RoutingOptions.MAX_K) {
                throw new IllegalArgumentException("reserves must be from 0 to " + RoutingOptions.MAX_K + ", but was " + reserves);
            }
            this.reserves = reserves;
            return this;
        }

        public Builder deadline(Duration deadline) {
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline must be positive, but was " + deadline);
            }
            this.deadline = deadline;
            return this;
        }

        public Builder expectedCompletionTokens(int expectedCompletionTokens) {
            if (expectedCompletionTokens < 1) {
                throw new IllegalArgumentException(
                        "expectedCompletionTokens must be positive, but was " + expectedCompletionTokens);
            }
            this.expectedCompletionTokens = expectedCompletionTokens;
            return this;
        }

        /** @throws IllegalArgumentException when maxK is below defaultK */
        public RoutingConfig build() {
            if (maxK < defaultK) {
                throw new IllegalArgumentException("maxK must be at least defaultK (" + defaultK + "), but was " + maxK);
            }
            return new RoutingConfig(this);
        }
    }
}
