package io.consilium.registry;

import java.time.Duration;

/**
 * How a {@link Provider#MOCK} expert behaves.
 *
 * @param latency delay before the answer (or before the first streamed chunk)
 * @param failureRate share of calls, 0..1, that fail with a simulated upstream 500
 */
public record MockBehaviour(Duration latency, double failureRate) {

    public static final MockBehaviour DEFAULTS = new MockBehaviour(Duration.ofMillis(20), 0);

    public MockBehaviour {
        if (latency.isNegative() || latency.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new InvalidExpertException("mock.latency", latency, "must be between 0 and 5m");
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new InvalidExpertException("mock.failure-rate", failureRate, "must be between 0 and 1");
        }
    }
}
