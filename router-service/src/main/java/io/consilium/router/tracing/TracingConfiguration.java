package io.consilium.router.tracing;

import io.consilium.registry.ExpertTracing;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
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

    private static boolean isOn(Environment environment) {
        return environment.getProperty(TracingEnvironment.SDK_ENABLED, Boolean.class, true);
    }
}
