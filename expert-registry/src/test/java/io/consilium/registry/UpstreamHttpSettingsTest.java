package io.consilium.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UpstreamHttpSettingsTest {

    @Test
    void should_keep_the_values_it_was_built_with_and_copy_them_to_a_new_builder() {
        // when
        UpstreamHttpSettings settings = UpstreamHttpSettings.custom().client(UpstreamHttpSettings.Client.JETTY)
                .connectTimeout(Duration.ofSeconds(2)).maxConnectionsPerUpstream(64).build();
        UpstreamHttpSettings copy = settings.toBuilder().maxConnectionsPerUpstream(8).build();

        // then
        assertThat(settings.client()).isEqualTo(UpstreamHttpSettings.Client.JETTY);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.maxConnectionsPerUpstream()).isEqualTo(64);
        assertThat(copy.maxConnectionsPerUpstream()).isEqualTo(8);
        assertThat(copy.client()).isEqualTo(UpstreamHttpSettings.Client.JETTY);
        assertThat(settings.toBuilder().build()).isEqualTo(settings);
    }

    @Test
    void should_call_upstreams_through_the_jdk_client_by_default() {
        assertThat(UpstreamHttpSettings.ofDefaults().client()).isEqualTo(UpstreamHttpSettings.Client.JDK);
        assertThat(UpstreamHttpSettings.ofDefaults().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void should_name_the_rejected_value_when_a_setting_is_out_of_range() {
        assertThatThrownBy(() -> UpstreamHttpSettings.custom().connectTimeout(Duration.ZERO))
                .hasMessage("connectTimeout must be positive, but was PT0S");
        assertThatThrownBy(() -> UpstreamHttpSettings.custom().maxConnectionsPerUpstream(0))
                .hasMessage("maxConnectionsPerUpstream must be between 1 and 65536, but was 0");
    }
}
