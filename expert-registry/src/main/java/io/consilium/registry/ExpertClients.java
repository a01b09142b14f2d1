package io.consilium.registry;

import io.consilium.registry.internal.ExpertClientFactory;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Hands out resilient clients for experts, one per expert id, rebuilt when the expert's definition
 * changes. Every call first checks the expert's address against the {@link EgressPolicy}, and is observed
 * once on the {@link ExpertCallMeters}. Local ONNX experts share the models loaded under the
 * {@link LocalModelSettings}' memory budget. Create one per process and close it on shutdown (which
 * unloads the local models).
 */
public interface ExpertClients extends AutoCloseable {

    /** The client for this definition of the expert. */
    ExpertClient clientFor(Expert expert);

    /** The policy every call is checked against; the registry checks new definitions against it too. */
    EgressPolicy egressPolicy();

    /** Whether this build can call experts of the provider. */
    boolean supports(Provider provider);

    /**
     * Checks what only the clients can know about a definition before the registry accepts it, such as
     * whether a local expert's model directory holds a usable model. Cheap: a model is not loaded.
     *
     * @throws InvalidExpertException naming the field at fault
     */
    default void check(Expert expert) {}

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

    /** Clients under the egress policy; local models under {@link LocalModelSettings#ofDefaults()}. */
    static ExpertClients create(ResilienceSettings settings, MeterRegistry meters, EgressPolicy egress) {
        return create(settings, meters, egress, LocalModelSettings.ofDefaults());
    }

    /**
     * Clients under the egress policy, running local models under the given settings. Every call through
     * them is recorded on {@code meters} as the {@link ExpertCallMeters} say; local model loads and evictions
     * are counted as {@code consilium.local.model.loads} and {@code consilium.local.model.evictions}, tagged
     * {@code expert}.
     */
    static ExpertClients create(ResilienceSettings settings, MeterRegistry meters, EgressPolicy egress,
            LocalModelSettings local) {
        return create(settings, meters, egress, local, UpstreamHttpSettings.ofDefaults());
    }

    /**
     * Clients as {@link #create(ResilienceSettings, MeterRegistry, EgressPolicy, LocalModelSettings)} makes them,
     * calling remote experts through the HTTP client the {@link UpstreamHttpSettings} name.
     */
    static ExpertClients create(ResilienceSettings settings, MeterRegistry meters, EgressPolicy egress,
            LocalModelSettings local, UpstreamHttpSettings upstreamHttp) {
        return create(settings, meters, egress, local, upstreamHttp, BuiltinModels.none());
    }

    /**
     * Clients as {@link #create(ResilienceSettings, MeterRegistry, EgressPolicy, LocalModelSettings,
     * UpstreamHttpSettings)} makes them, serving experts of provider {@link Provider#BUILTIN} with the models of
     * {@code builtins} (which stay the caller's to close).
     */
    static ExpertClients create(ResilienceSettings settings, MeterRegistry meters, EgressPolicy egress,
            LocalModelSettings local, UpstreamHttpSettings upstreamHttp, BuiltinModels builtins) {
        return create(settings, meters, egress, local, upstreamHttp, builtins, ExpertTracing.none());
    }

    /**
     * Clients as {@link #create(ResilienceSettings, MeterRegistry, EgressPolicy, LocalModelSettings,
     * UpstreamHttpSettings, BuiltinModels)} makes them, each attempt at a call observed on the tracing's
     * observations and each upstream request carrying its trace headers.
     */
    static ExpertClients create(ResilienceSettings settings, MeterRegistry meters, EgressPolicy egress,
            LocalModelSettings local, UpstreamHttpSettings upstreamHttp, BuiltinModels builtins, ExpertTracing tracing) {
        return new ExpertClientFactory(settings, meters, egress, local, upstreamHttp, builtins, tracing);
    }
}
