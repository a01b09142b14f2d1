package io.consilium.router.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.router.testing.RedisFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/** The key contract against a real Redis, and that Redis holds hashes only. */
class RedisApiKeyStoreIT extends ApiKeyStoreContract {

    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Override
    protected ApiKeyStore newEmptyStore() {
        redis.flushAll();
        return new RedisApiKeyStore(redis.connection(), JsonMapper.builder().build());
    }

    @Test
    void should_keep_only_the_hash_of_a_key_created_through_the_service() {
        // given
        ApiKeys keys = new ApiKeys(store, new io.consilium.router.state.LocalChangeBus(), java.time.Clock.systemUTC());

        // when
        ApiKeys.Created created = keys.create(new ApiKeys.Grant("ci", java.util.List.of(), 0, 0, 0, null));

        // then
        String stored = redis.commands().hgetall("consilium:keys").toString();
        assertThat(stored).contains(KeyMaterial.hash(created.key())).doesNotContain(created.key());
        assertThat(keys.recognise(created.key()).status()).isEqualTo(ApiKeys.Recognition.Status.LIVE);
    }
}
