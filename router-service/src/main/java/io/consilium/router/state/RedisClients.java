package io.consilium.router.state;

import io.consilium.router.config.ConsiliumProperties;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How the service's Redis client behaves. It reconnects on its own, quickly (50 ms doubling to 2 s, so
 * Redis is used again soon after it is back), and rejects commands while disconnected instead of
 * queueing them: a write during an outage then fails at once (a 503) instead of hanging, and nothing
 * piles up in memory.
 */
public final class RedisClients {

    private RedisClients() {}

    /** Threads and reconnect timing; shut down after the clients that use them. */
    public static ClientResources resources() {
        return DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    public static RedisClient create(ClientResources resources, ConsiliumProperties.Redis redis) {
        RedisClient client = RedisClient.create(resources, RedisEndpoint.of(redis).uri());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(redis.connectTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(redis.commandTimeout()))
                .build());
        return client;
    }
}
