package io.consilium.router.auth;

import io.consilium.router.api.ApiException;
import io.consilium.router.state.StateUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Applies a key's requests-per-minute and tokens-per-minute limits. A request takes one from the
 * request bucket and needs a token left in the token bucket; the tokens it used are charged when it
 * ends. When the buckets cannot be reached the configured policy decides: let requests through (and
 * count them) or refuse them.
 */
final class RateLimits {

    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

    private final RateLimiter limiter;
    private final boolean failOpen;
    private final Counter unchecked;
    private final Counter limited;

    RateLimits(RateLimiter limiter, boolean failOpen, MeterRegistry meters) {
        this.limiter = limiter;
        this.failOpen = failOpen;
        this.unchecked = Counter.builder("consilium.rate.limit.unavailable")
                .description("Requests let through unchecked because the rate-limit store was unreachable")
                .register(meters);
        this.limited = Counter.builder("consilium.rate.limit.refused")
                .description("Requests refused with a 429 because a key was over its limit")
                .register(meters);
    }

    /** Throws a 429 (with the wait in Retry-After) when the key is over one of its limits. */
    void admit(ApiKey key) {
        try {
            long wait = key.requestsPerMinute() > 0 ? limiter.tryTake(requests(key), key.requestsPerMinute(), 1) : 0;
            if (wait == 0 && key.tokensPerMinute() > 0) {
                // One token must be left; the rest of what the request uses is charged when its answer is known.
                wait = limiter.tryTake(tokens(key), key.tokensPerMinute(), 1);
            }
            if (wait > 0) {
                limited.increment();
                Duration retryAfter = Duration.ofMillis(wait).plusMillis(999).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", "rate_limit_exceeded", null,
                        "Rate limit of this API key reached; retry after " + retryAfter.toSeconds() + " s.", retryAfter);
            }
        } catch (StateUnavailableException e) {
            unreachable();
        }
    }

    /** Charges the tokens a finished request used to its key (one was taken when it was admitted). */
    void charge(ApiKey key, long used) {
        if (key.tokensPerMinute() <= 0 || used <= 1) {
            return;
        }
        try {
            limiter.charge(tokens(key), key.tokensPerMinute(), used - 1);
        } catch (StateUnavailableException e) {
            log.debug("Could not charge {} tokens to key {}: {}", used, key.id(), e.getMessage());
        }
    }

    private static String requests(ApiKey key) {
        return key.id() + ":requests";
    }

    private static String tokens(ApiKey key) {
        return key.id() + ":tokens";
    }

    private void unreachable() {
        if (failOpen) {
            unchecked.increment();
            return;
        }
        throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable_error", "rate_limit_unavailable",
                null, "Rate limits cannot be checked right now (shared state unreachable); retry shortly.",
                Duration.ofSeconds(1));
    }
}
