package io.consilium.registry.internal;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;

/** The Resilience4j instances that protect one expert, and the hold its upstream's Retry-After puts on it. */
record ExpertGuards(CircuitBreaker circuitBreaker, Retry retry, Bulkhead bulkhead, TimeLimiter timeLimiter,
        RetryAfterHold retryAfterHold) {}
