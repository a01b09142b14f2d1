package io.consilium.router.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class TracingEnvironmentTest {

    private final StandardEnvironment environment = new StandardEnvironment();

    @Test
    void should_switch_the_sdk_off_when_no_endpoint_is_configured() {
        // when
        prepare();

        // then
        assertThat(environment.getProperty(TracingEnvironment.SDK_ENABLED, Boolean.class)).isFalse();
    }

    @Test
    void should_leave_the_sdk_on_when_the_endpoint_property_is_set() {
        // given
        given(Map.of(TracingEnvironment.ENDPOINT, "http://collector:4318/v1/traces"));

        // when
        prepare();

        // then
        assertThat(environment.getProperty(TracingEnvironment.SDK_ENABLED)).isNull();
    }

    @Test
    void should_leave_the_sdk_on_when_the_opentelemetry_variable_names_an_endpoint() {
        // given
        given(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"));

        // when
        prepare();

        // then
        assertThat(environment.getProperty(TracingEnvironment.SDK_ENABLED)).isNull();
    }

    @Test
    void should_let_an_explicit_setting_win() {
        // given
        given(Map.of(TracingEnvironment.SDK_ENABLED, "true"));

        // when
        prepare();

        // then
        assertThat(environment.getProperty(TracingEnvironment.SDK_ENABLED, Boolean.class)).isTrue();
    }

    private void given(Map<String, Object> properties) {
        environment.getPropertySources().addFirst(new MapPropertySource("given", properties));
    }

    private void prepare() {
        new TracingEnvironment().postProcessEnvironment(environment, new SpringApplication());
    }
}
