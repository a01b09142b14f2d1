package io.consilium.router.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.router.config.ConsiliumProperties;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class RedisEndpointTest {

    private static RedisEndpoint endpoint(String url, @Nullable String username, @Nullable String password) {
        return RedisEndpoint.of(new ConsiliumProperties.Redis(url, password, username, Duration.ofSeconds(2),
                Duration.ofMillis(750), Duration.ofSeconds(30)));
    }

    private static RedisCredentials credentials(RedisURI uri) {
        return uri.getCredentialsProvider().resolveCredentials().block();
    }

    @Test
    void should_read_host_port_database_tls_and_the_command_timeout_from_the_url() {
        // when
        RedisURI uri = endpoint("rediss://cache.example.com:6380/2", null, null).uri();

        // then
        assertThat(uri.getHost()).isEqualTo("cache.example.com");
        assertThat(uri.getPort()).isEqualTo(6380);
        assertThat(uri.getDatabase()).isEqualTo(2);
        assertThat(uri.isSsl()).isTrue();
        assertThat(uri.getTimeout()).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void should_let_the_password_and_username_settings_override_the_url() {
        // when
        RedisURI overridden = endpoint("redis://olduser:oldpass@127.0.0.1:6379", "app", "new-pass").uri();
        RedisURI passwordOnly = endpoint("redis://olduser:oldpass@127.0.0.1:6379", null, "new-pass").uri();

        // then
        assertThat(credentials(overridden).getUsername()).isEqualTo("app");
        assertThat(new String(credentials(overridden).getPassword())).isEqualTo("new-pass");
        assertThat(credentials(passwordOnly).getUsername()).isEqualTo("olduser");
        assertThat(new String(credentials(passwordOnly).getPassword())).isEqualTo("new-pass");
    }

    @Test
    void should_never_show_the_password_when_describing_the_endpoint() {
        // when
        RedisEndpoint endpoint = endpoint("redis://:s3cret@10.0.0.5:6379", null, null);

        // then
        assertThat(endpoint).hasToString("redis://10.0.0.5:6379");
        assertThat(new String(credentials(endpoint.uri()).getPassword())).isEqualTo("s3cret");
    }

    @Test
    void should_refuse_another_scheme_or_an_unreadable_url_without_repeating_it() {
        assertThatThrownBy(() -> endpoint("http://127.0.0.1:6379", null, null))
                .hasMessageContaining("consilium.redis.url must start with redis:// or rediss://");
        assertThatThrownBy(() -> endpoint("redis://user:p@ss word@host", null, null))
                .hasMessageContaining("consilium.redis.url")
                .message().doesNotContain("p@ss");
    }
}
