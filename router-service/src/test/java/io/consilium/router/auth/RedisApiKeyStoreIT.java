package io.consilium.router.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.router.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The key contract against a real Redis, and that Redis holds hashes only. */
class RedisApiKeyStoreIT extends ApiKeyStoreContract {

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
    protected ApiKeyStore newEmptyStore() {
        redis.flushAll();
        return new RedisApiKeyStore(connection, JsonMapper.builder().build());
    }

    @Test
    void should_keep_only_the_hash_of_a_key_created_through_the_service() {
        // given
        ApiKeys keys = new ApiKeys(store, new io.consilium.router.state.LocalChangeBus(), java.time.Clock.systemUTC());

        // when
        ApiKeys.Created created = keys.create(new ApiKeys.Grant("ci", java.util.List.of(), 0, 0, 0, null));

        // then
        String stored = connection.sync().hgetall("consilium:keys").toString();
        assertThat(stored).contains(KeyMaterial.hash(created.key())).doesNotContain(created.key());
        assertThat(keys.recognise(created.key()).status()).isEqualTo(ApiKeys.Recognition.Status.LIVE);
    }
}
