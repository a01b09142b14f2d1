package io.consilium.registry;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The expert answered 429, or is still within the wait its last 429 asked for; {@link #retryAfter()} is what
 * is left of that wait, when it said. A rate limit is not a fault of the expert: it does not count for its
 * circuit, which would otherwise refuse the expert to every other caller.
 */
public final class ExpertRateLimitedException extends RetriableExpertException {

    private final @Nullable Duration retryAfter;

    public ExpertRateLimitedException(String expertId, @Nullable Duration retryAfter) {
        super(expertId, "rate limited by the upstream" + (retryAfter == null ? "" : ", retry after " + retryAfter), null);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public boolean isExpertFault() {
        return false;
    }
}
