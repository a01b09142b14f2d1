package io.consilium.router.state;

import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;

/**
 * A redis-server of the test class's own with a client set up exactly like the service's (reconnects,
 * rejects commands while disconnected). Start one per class, flush between tests.
 */
final class RedisFixture implements AutoCloseable {

    private final RedisServer server;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private RedisFixture(RedisServer server) {
        this.server = server;
        this.resources = RedisClients.resources();
        this.client = RedisClients.create(resources, settings(server.url()));
        this.connection = client.connect();
    }

    static RedisFixture start() {
        return new RedisFixture(RedisServer.start());
    }

    static ConsiliumProperties.Redis settings(String url) {
        return new ConsiliumProperties.Redis(url, null, null, Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(30));
    }

    RedisServer server() {
        return server;
    }

    RedisClient client() {
        return client;
    }

    StatefulRedisConnection<String, String> connection() {
        return connection;
    }

    /** For looking at what the stores wrote. */
    RedisCommands<String, String> commands() {
        return connection.sync();
    }

    void flushAll() {
        server.flushAll();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
        resources.shutdown();
        server.close();
    }
}
