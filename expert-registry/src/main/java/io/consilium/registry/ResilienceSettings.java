package io.consilium.registry;

import java.time.Duration;

/**
 * How every expert is protected: circuit breaker, retries and bulkhead waiting. Per-expert values
 * (timeout, concurrency) come from the expert's {@link Limits}. Immutable; build with {@link #custom()}.
 */
public final class ResilienceSettings {

    private final float failureRateThreshold;
    private final int slidingWindowSize;
    private final int minimumCalls;
    private final Duration openStateWait;
    private final int halfOpenCalls;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final double backoffMultiplier;
    private final double jitter;
    private final Duration bulkheadMaxWait;
    private final Duration maxRetryAfter;

    private ResilienceSettings(Builder b) {
        this.failureRateThreshold = b.failureRateThreshold;
        this.slidingWindowSize = b.slidingWindowSize;
        this.minimumCalls = b.minimumCalls;
        this.openStateWait = b.openStateWait;
        this.halfOpenCalls = b.halfOpenCalls;
        this.maxRetries = b.maxRetries;
        this.initialBackoff = b.initialBackoff;
        this.backoffMultiplier = b.backoffMultiplier;
        this.jitter = b.jitter;
        this.bulkheadMaxWait = b.bulkheadMaxWait;
        this.maxRetryAfter = b.maxRetryAfter;
    }

    public static ResilienceSettings ofDefaults() {
        return custom().build();
    }

    public static Builder custom() {
        return new Builder();
    }

    /** Percentage of failed calls in the window that opens the circuit. */
    public float failureRateThreshold() {
        return failureRateThreshold;
    }

    /** Number of recent calls the failure rate is computed over. */
    public int slidingWindowSize() {
        return slidingWindowSize;
    }

    /** Calls needed in the window before the failure rate is trusted. */
    public int minimumCalls() {
        return minimumCalls;
    }

    /** How long an open circuit rejects calls before letting trial calls through. */
    public Duration openStateWait() {
        return openStateWait;
    }

    /** Trial calls allowed while half-open. */
    public int halfOpenCalls() {
        return halfOpenCalls;
    }

    /** Retries after the first attempt, only for retriable failures. */
    public int maxRetries() {
        return maxRetries;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public double backoffMultiplier() {
        return backoffMultiplier;
    }

    /** Randomisation factor of the backoff, 0..1. */
    public double jitter() {
        return jitter;
    }

    /** How long a call may wait for a free slot when the expert is at its concurrency limit. */
    public Duration bulkheadMaxWait() {
        return bulkheadMaxWait;
    }

    /**
     * The longest an upstream's Retry-After holds calls to its expert (they are refused here, as rate
     * limited, until it has passed); a longer one is cut to this, so that a wrong header cannot take an
     * expert out for hours. The upstream is asked again after it, and a 429 then holds calls again.
     */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /** Validating builder; every setter rejects a bad value with a message that names it. */
    public static final class Builder {

        private float failureRateThreshold = 50;
        private int slidingWindowSize = 10;
        private int minimumCalls = 5;
        private Duration openStateWait = Duration.ofSeconds(10);
        private int halfOpenCalls = 2;
        private int maxRetries = 2;
        private Duration initialBackoff = Duration.ofMillis(200);
        private double backoffMultiplier = 2;
        private double jitter = 0.5;
        private Duration bulkheadMaxWait = Duration.ofMillis(500);
        private Duration maxRetryAfter = Duration.ofMinutes(5);

        private Builder() {}

        public Builder failureRateThreshold(float percent) {
            if (!(percent > 0 && percent <= 100)) {
                throw new IllegalArgumentException(
                        "failureRateThreshold must be greater than 0 and at most 100, but was " + percent);
            }
            this.failureRateThreshold = percent;
            return this;
        }

        public Builder slidingWindowSize(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("slidingWindowSize must be at least 1, but was " + calls);
            }
            this.slidingWindowSize = calls;
            return this;
        }

        public Builder minimumCalls(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("minimumCalls must be at least 1, but was " + calls);
            }
            this.minimumCalls = calls;
            return this;
        }

        public Builder openStateWait(Duration wait) {
            if (wait.isNegative() || wait.isZero()) {
                throw new IllegalArgumentException("openStateWait must be positive, but was " + wait);
            }
            this.openStateWait = wait;
            return this;
        }

        public Builder halfOpenCalls(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("halfOpenCalls must be at least 1, but was " + calls);
            }
            this.halfOpenCalls = calls;
            return this;
        }

        public Builder maxRetries(int retries) {
            if (retries < 0 || retries > 5) {
                throw new IllegalArgumentException("maxRetries must be between 0 and 5, but was " + retries);
            }
            this.maxRetries = retries;
            return this;
        }

        public Builder initialBackoff(Duration backoff) {
            if (backoff.isNegative() || backoff.isZero()) {
                throw new IllegalArgumentException("initialBackoff must be positive, but was " + backoff);
            }
            this.initialBackoff = backoff;
            return this;
        }

        public Builder backoffMultiplier(double multiplier) {
            if (!(multiplier >= 1)) {
                throw new IllegalArgumentException("backoffMultiplier must be at least 1, but was " + multiplier);
            }
            this.backoffMultiplier = multiplier;
            return this;
        }

        public Builder jitter(double factor) {
            if (!(factor >= 0 && factor < 1)) {
                throw new IllegalArgumentException("jitter must be at least 0 and below 1, but was " + factor);
            }
            this.jitter = factor;
            return this;
        }

        public Builder bulkheadMaxWait(Duration wait) {
            if (wait.isNegative()) {
                throw new IllegalArgumentException("bulkheadMaxWait must not be negative, but was " + wait);
            }
            this.bulkheadMaxWait = wait;
            return this;
        }

        public Builder maxRetryAfter(Duration wait) {
            if (wait.isNegative() || wait.isZero()) {
                throw new IllegalArgumentException("maxRetryAfter must be positive, but was " + wait);
            }
            this.maxRetryAfter = wait;
            return this;
        }

        public ResilienceSettings build() {
            if (minimumCalls > slidingWindowSize) {
                throw new IllegalArgumentException("minimumCalls must not exceed slidingWindowSize (" + slidingWindowSize
                        + "), but was " + minimumCalls);
            }
            return new ResilienceSettings(this);
        }
    }
}
