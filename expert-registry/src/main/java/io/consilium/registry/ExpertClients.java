package io.consilium.registry;

import io.consilium.registry.internal.ExpertClientFactory;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Hands out resilient clients for experts, one per expert id, rebuilt when the expert's definition
 * changes. Every call first checks the expert's address against the {@link EgressPolicy}. Create one
 * per process and close it on shutdown.
 */
public interface ExpertClients extends AutoCloseable {

    /** The client for this definition of the expert. */
    ExpertClient clientFor(Expert expert);

    /** The policy every call is checked against; the registry checks new definitions against it too. */
    EgressPolicy egressPolicy();

    /** Whether this build can call experts of the provider. */
    boolean supports(Provider provider);

    /** The expert's health as seen by its circuit breaker. */
    ExpertHealth health(String expertId);

    /** Drops the client and guards of a removed expert. */
    void forget(String expertId);

    @Override
    void close();

    /** Clients under the default egress policy: private networks and loopback allowed. */
    static ExpertClients create(ResilienceSettings settings, MeterRegistry meters) {
        return create(settings, meters, EgressPolicy.ofDefaults());
    }

    static ExpertClients create(ResilienceSettings settings, MeterRegistry meters, EgressPolicy egress) {
        return new ExpertClientFactory(settings, meters, egress);
    }
}
