package io.consilium.router.auth;

import io.consilium.router.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The rate-limit contract against a real Redis: the Lua script's buckets. */
class RedisRateLimiterIT extends RateLimiterContract {

    private static RedisServer redis;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        client = RedisClient.create(redis.url());
        connection = client.connect();
    }

    @AfterAll
    static void stopRedis() {
        connection.close();
        client.shutdown();
        redis.close();
    }

    @Override
    protected RateLimiter newLimiter() {
        redis.flushAll();
        return new RedisRateLimiter(connection);
    }
}
