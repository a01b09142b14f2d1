package io.consilium.registry;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The expert answered 429; {@link #retryAfter()} is what it asked us to wait, when it said. */
public final class ExpertRateLimitedException extends RetriableExpertException {

    private final @Nullable Duration retryAfter;

    public ExpertRateLimitedException(String expertId, @Nullable Duration retryAfter) {
        super(expertId, "rate limited by the upstream" + (retryAfter == null ? "" : ", retry after " + retryAfter), null);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
