package io.consilium.router.tracing;

import io.consilium.registry.ExpertTracing;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.function.BiConsumer;

/**
 * Expert tracing over Micrometer Tracing: attempts observed when tracing is on, and the current trace context
 * written by the configured propagator (W3C by default) onto every upstream request, on or off. With tracing off
 * the current context is the client's own, so its {@code traceparent} goes on unchanged.
 */
final class MicrometerExpertTracing implements ExpertTracing {

    private final ObservationRegistry observations;
    private final boolean captureContent;
    private final Tracer tracer;
    private final Propagator propagator;

    MicrometerExpertTracing(ObservationRegistry observations, boolean captureContent, Tracer tracer, Propagator propagator) {
        this.observations = observations;
        this.captureContent = captureContent;
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    public ObservationRegistry observations() {
        return observations;
    }

    @Override
    public boolean capturesContent() {
        return captureContent;
    }

    @Override
    public void addTraceHeaders(BiConsumer<String, String> header) {
        TraceContext context = tracer.currentTraceContext().context();
        if (context != null) {
            propagator.inject(context, header, BiConsumer::accept);
        }
    }
}
