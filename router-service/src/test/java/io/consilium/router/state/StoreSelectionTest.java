package io.consilium.router.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.router.ConsiliumApplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;

/** A store setting the service cannot work with stops the start, and the message names the setting. */
class StoreSelectionTest {

    private static void start(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--server.port=0";
        all[1] = "--spring.main.web-application-type=none";
        System.arraycopy(args, 0, all, 2, args.length);
        SpringApplication.run(ConsiliumApplication.class, all).close();
    }

    private static String messages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void should_refuse_an_unknown_store_naming_the_value() {
        assertThatThrownBy(() -> start("--consilium.store=mongo"))
                .satisfies(e -> assertThat(messages(e))
                        .contains("consilium.store must be 'memory' or 'redis', but was 'mongo'"));
    }

    @Test
    void should_refuse_redis_without_a_master_key_naming_the_property() {
        assertThatThrownBy(() -> start("--consilium.store=redis"))
                .satisfies(e -> assertThat(messages(e))
                        .contains("consilium.security.master-key is required when consilium.store is redis"));
    }

    @Test
    void should_refuse_a_master_key_too_short_to_be_safe() {
        assertThatThrownBy(() -> start("--consilium.store=redis", "--consilium.security.master-key=short"))
                .satisfies(e -> assertThat(messages(e))
                        .contains("consilium.security.master-key cannot be used")
                        .contains("at least 16 characters"));
    }

    @Test
    void should_refuse_to_start_when_redis_is_unreachable_without_showing_its_password() throws IOException {
        // given: a port nobody listens on
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        // then
        assertThatThrownBy(() -> start("--consilium.store=redis",
                "--consilium.security.master-key=a-master-key-for-the-tests",
                "--consilium.redis.url=redis://:very-secret-password@127.0.0.1:" + closedPort,
                "--consilium.redis.connect-timeout=500ms"))
                .satisfies(e -> assertThat(messages(e))
                        .contains("Shared state (Redis) is unreachable: could not connect to redis://127.0.0.1:"
                                + closedPort + " (consilium.redis.url) at start-up")
                        .doesNotContain("very-secret-password"));
    }
}
