package io.consilium.router.tracing;

import io.consilium.registry.ExpertTracing;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Tracing is on when the OpenTelemetry SDK is ({@link TracingEnvironment} leaves it off without an endpoint):
 * then the steps of each request and every expert attempt are observed. Trace context is propagated to the
 * upstreams either way.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TracingConfiguration.class);

    @Bean
    PipelineTracing pipelineTracing(Environment environment, ObservationRegistry observations) {
        boolean on = isOn(environment);
        if (on) {
            log.info("Tracing on: requests, classification, planning, expert attempts and fusion are observed");
        }
        return new PipelineTracing(on ? observations : ObservationRegistry.NOOP, observations);
    }

    @Bean
    ExpertTracing expertTracing(Environment environment, ObservationRegistry observations, TracingProperties properties,
            ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new MicrometerExpertTracing(isOn(environment) ? observations : ObservationRegistry.NOOP,
                properties.captureContent(), tracer.getIfAvailable(() -> Tracer.NOOP),
                propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    /**
     * With tracing off, spans are the API's no-op spans that only carry the context they were given: a client's
     * trace context goes on to the upstreams unchanged, and nothing is recorded. (Spring Boot's own switched-off
     * SDK still records spans, with fresh ids, only to drop them.)
     */
    @Bean
    @ConditionalOnProperty(name = TracingEnvironment.SDK_ENABLED, havingValue = "false")
    OpenTelemetry propagatingOnly(ObjectProvider<ContextPropagators> propagators) {
        return OpenTelemetry.propagating(propagators.getIfAvailable(ContextPropagators::noop));
    }

    private static boolean isOn(Environment environment) {
        return environment.getProperty(TracingEnvironment.SDK_ENABLED, Boolean.class, true);
    }
}
