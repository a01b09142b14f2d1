package io.consilium.router.testing;

import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.state.RedisClients;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A redis-server of the test class's own with a client set up exactly like the service's (reconnects,
 * rejects commands while disconnected). Register it as a static {@code @RegisterExtension} field to get
 * one per class, or {@link #start()} one by hand; flush between tests.
 */
public final class RedisFixture implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private @Nullable RedisServer server;
    private @Nullable ClientResources resources;
    private @Nullable RedisClient client;
    private @Nullable StatefulRedisConnection<String, String> connection;

    /** A fixture that starts with the test class and stops after it. */
    public RedisFixture() {}

    /** A fixture started now, for tests that manage its life themselves. */
    public static RedisFixture start() {
        RedisFixture fixture = new RedisFixture();
        fixture.open();
        return fixture;
    }

    public static ConsiliumProperties.Redis settings(String url) {
        return new ConsiliumProperties.Redis(url, null, null, Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(30));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        open();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void open() {
        server = RedisServer.start();
        resources = RedisClients.resources();
        client = RedisClients.create(resources, settings(server.url()));
        connection = client.connect();
    }

    public RedisServer server() {
        return started(server);
    }

    public RedisClient client() {
        return started(client);
    }

    public StatefulRedisConnection<String, String> connection() {
        return started(connection);
    }

    /** For looking at what the stores wrote. */
    public RedisCommands<String, String> commands() {
        return connection().sync();
    }

    public void flushAll() {
        server().flushAll();
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            client.shutdown();
            resources.shutdown();
            server.close();
            connection = null;
        }
    }

    private static <T> T started(@Nullable T part) {
        if (part == null) {
            throw new IllegalStateException("the Redis fixture is not started");
        }
        return part;
    }
}
