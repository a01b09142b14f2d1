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

    public ExpertResilience(ResilienceSettings settings, MeterRegistry meters) {
        this.settings = settings;
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
                        .build()));
    }

    /** The current circuit breaker of an expert, if it has been called. */
    Optional<io.github.resilience4j.circuitbreaker.CircuitBreaker> circuitBreaker(String expertId) {
        return circuitBreakers.find(expertId);
    }

    /** Drops the expert's guards (and their meters). */
    public void forget(String expertId) {
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
                // A rejected request (4xx) says nothing about the expert's health.
                .recordException(failure -> !(failure instanceof ExpertException e) || e.isExpertFault())
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
