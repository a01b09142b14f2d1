package io.consilium.router.tracing;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps tracing off until there is somewhere to send traces. Without an OTLP traces endpoint (the property, or
 * the {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} / {@code OTEL_EXPORTER_OTLP_ENDPOINT} variables Spring Boot maps to
 * it), the OpenTelemetry SDK is switched off by a default of the lowest precedence: no span is recorded and nothing
 * connects anywhere, while the W3C propagator stays, so a client's {@code traceparent} still reaches the
 * upstreams unchanged. An explicit {@value #SDK_ENABLED} wins either way.
 */
public final class TracingEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String SDK_ENABLED = "management.opentelemetry.enabled";
    static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";
    private static final String[] ENDPOINT_VARIABLES = {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"};

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!hasEndpoint(environment)) {
            environment.getPropertySources().addLast(new MapPropertySource("consiliumTracingOff", Map.of(SDK_ENABLED, "false")));
        }
    }

    /** After Spring Boot has mapped the OpenTelemetry variables to its properties. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    static boolean hasEndpoint(ConfigurableEnvironment environment) {
        if (isSet(environment.getProperty(ENDPOINT))) {
            return true;
        }
        for (String variable : ENDPOINT_VARIABLES) {
            if (isSet(environment.getProperty(variable))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
