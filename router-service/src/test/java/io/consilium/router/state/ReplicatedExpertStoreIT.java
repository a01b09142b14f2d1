package io.consilium.router.state;

import io.consilium.registry.ExpertStore;
import io.consilium.registry.SecretCipher;
import io.consilium.registry.testing.ExpertStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The expert contract against a replica's store: local copy in front, Redis behind. */
class ReplicatedExpertStoreIT extends ExpertStoreContract {

    private static RedisFixture redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisFixture.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected ExpertStore newEmptyStore() {
        redis.flushAll();
        RedisExpertStore shared = new RedisExpertStore(redis.connection(),
                new ExpertCodec(SecretCipher.withMasterKey("a-master-key-for-the-tests")));
        return new ReplicatedExpertStore(shared, new LocalChangeBus(), id -> {});
    }
}
