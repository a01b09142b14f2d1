package io.consilium.registry;

import java.time.Duration;

/**
 * Operating limits of an expert.
 *
 * @param maxConcurrency calls in flight at once (the bulkhead size)
 * @param timeout deadline of one request to this expert, retries included
 * @param contextTokens the model's context window, or {@value #NO_CONTEXT_LIMIT} when not declared
 */
public record Limits(int maxConcurrency, Duration timeout, int contextTokens) {

    /** The context window of an expert that declares none: no request is refused for its size. */
    public static final int NO_CONTEXT_LIMIT = 0;

    public static final Limits DEFAULTS = new Limits(16, Duration.ofSeconds(60), NO_CONTEXT_LIMIT);

    public Limits {
        if (maxConcurrency <= 0 || maxConcurrency > 10_000) {
            throw new InvalidExpertException(
                    "limits.max-concurrency", maxConcurrency, "must be between 1 and 10000");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidExpertException("limits.timeout", timeout, "must be positive and at most 1h");
        }
        if (contextTokens < 0) {
            throw new InvalidExpertException("limits.context-tokens", contextTokens, "must be positive, or 0 for none declared");
        }
    }

    /** Whether the context window holds a request of about this many tokens; always, when none is declared. */
    public boolean holds(long tokens) {
        return contextTokens == NO_CONTEXT_LIMIT || tokens <= contextTokens;
    }
}
