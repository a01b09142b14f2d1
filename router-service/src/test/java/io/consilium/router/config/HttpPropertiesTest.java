package io.consilium.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.UpstreamHttpSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code consilium.http.*} as an operator writes it, turned into the registry's {@link UpstreamHttpSettings}. */
class HttpPropertiesTest {

    @Test
    void should_call_upstreams_through_the_jetty_client_when_nothing_is_configured() {
        // when
        UpstreamHttpSettings settings = bind(Map.of()).http().toSettings();

        // then: the registry's other defaults, with the client that measured faster (benchmarks/README.md)
        assertThat(settings).isEqualTo(UpstreamHttpSettings.custom().client(UpstreamHttpSettings.Client.JETTY).build());
    }

    @Test
    void should_take_the_jdk_client_when_asked() {
        assertThat(bind(Map.of("consilium.http.client", "jdk")).http().toSettings().client())
                .isEqualTo(UpstreamHttpSettings.Client.JDK);
    }

    @Test
    void should_take_the_client_in_lower_case_with_its_connection_settings() {
        // when
        UpstreamHttpSettings settings = bind(Map.of(
                "consilium.http.client", "jetty",
                "consilium.http.connect-timeout", "2s",
                "consilium.http.max-connections-per-upstream", "64")).http().toSettings();

        // then
        assertThat(settings.client()).isEqualTo(UpstreamHttpSettings.Client.JETTY);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.maxConnectionsPerUpstream()).isEqualTo(64);
    }

    @Test
    void should_refuse_a_client_it_does_not_know() {
        assertThatThrownBy(() -> bind(Map.of("consilium.http.client", "okhttp")))
                .isInstanceOf(BindException.class)
                .hasStackTraceContaining("okhttp");
    }

    private static ConsiliumProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("consilium", ConsiliumProperties.class);
    }
}
