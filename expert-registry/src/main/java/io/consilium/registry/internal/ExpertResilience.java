package io.consilium.registry.internal;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertRateLimitedException;
import io.consilium.registry.ResilienceSettings;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Resilience4j registries keyed by expert id. Shared settings come from {@link ResilienceSettings};
 * the timeout and the bulkhead size come from each expert's limits.
 */
public final class ExpertResilience {

    private final ResilienceSettings settings;
    private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();
    private final RetryRegistry retries = RetryRegistry.ofDefaults();
    private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
    private final TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();
    private final ConcurrentMap<String, RetryAfterHold> retryAfterHolds = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    public ExpertResilience(ResilienceSettings settings, MeterRegistry meters) {
        this.settings = settings;
        this.meters = meters;
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(meters);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
        TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters).bindTo(meters);
    }

    /** Fresh guards for the expert, replacing any built for an earlier definition of it. */
    ExpertGuards renew(Expert expert) {
        forget(expert.id());
        String id = expert.id();
        Duration timeout = expert.limits().timeout();
        RetryAfterHold hold = new RetryAfterHold(id, settings.maxRetryAfter(), meters, System::nanoTime);
        retryAfterHolds.put(id, hold);
        return new ExpertGuards(
                circuitBreakers.circuitBreaker(id, circuitBreakerConfig()),
                retries.retry(id, retryConfig(timeout)),
                bulkheads.bulkhead(id, BulkheadConfig.custom()
                        .maxConcurrentCalls(expert.limits().maxConcurrency())
                        .maxWaitDuration(settings.bulkheadMaxWait())
                        .build()),
                timeLimiters.timeLimiter(id, TimeLimiterConfig.custom()
                        .timeoutDuration(timeout)
                        .cancelRunningFuture(true)
                        .build()),
                hold);
    }

    /** The current circuit breaker of an expert, if it has been called. */
    Optional<io.github.resilience4j.circuitbreaker.CircuitBreaker> circuitBreaker(String expertId) {
        return circuitBreakers.find(expertId);
    }

    /** Whether the expert's upstream asked to wait with a 429 and the wait lasts. */
    boolean isHeldByRetryAfter(String expertId) {
        RetryAfterHold hold = retryAfterHolds.get(expertId);
        return hold != null && hold.holds();
    }

    /** Drops the expert's guards (and the Resilience4j meters; the rate-limit counts stay, as history). */
    public void forget(String expertId) {
        retryAfterHolds.remove(expertId);
        circuitBreakers.remove(expertId);
        retries.remove(expertId);
        bulkheads.remove(expertId);
        timeLimiters.remove(expertId);
    }

    private CircuitBreakerConfig circuitBreakerConfig() {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(settings.openStateWait())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                // A rejected request (4xx) says nothing about the expert's health: it counts as a success.
                .recordException(failure -> !(failure instanceof ExpertException e) || e.isExpertFault())
                // A 429 limits the caller's key, not the expert: neither failure nor success, so that a burst of
                // them cannot open the circuit for every other caller, nor hide real failures among successes.
                .ignoreExceptions(ExpertRateLimitedException.class)
                .build();
    }

    private RetryConfig retryConfig(Duration deadline) {
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(
                settings.initialBackoff(), settings.backoffMultiplier(), settings.jitter());
        IntervalBiFunction<Object> honourRetryAfter = (attempt, outcome) -> {
            long planned = backoff.apply(attempt);
            if (outcome.isLeft() && outcome.getLeft() instanceof ExpertRateLimitedException limited) {
                return limited.retryAfter().map(wait -> Math.max(wait.toMillis(), planned)).orElse(planned);
            }
            return planned;
        };
        return RetryConfig.custom()
                .maxAttempts(settings.maxRetries() + 1)
                .intervalBiFunction(honourRetryAfter)
                .retryOnException(failure -> isWorthRetrying(failure, deadline))
                .failAfterMaxAttempts(false)
                .build();
    }

    private static boolean isWorthRetrying(Throwable failure, Duration deadline) {
        if (!(failure instanceof ExpertException expertFailure) || !expertFailure.isRetriable()) {
            return false;
        }
        // Waiting longer than the whole deadline cannot end in an answer: give the 429 back at once.
        return !(failure instanceof ExpertRateLimitedException limited
                && limited.retryAfter().filter(wait -> wait.compareTo(deadline) >= 0).isPresent());
    }
}
