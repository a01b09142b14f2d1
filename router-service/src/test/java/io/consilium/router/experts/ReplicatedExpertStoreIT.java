package io.consilium.router.experts;

import io.consilium.registry.ExpertStore;
import io.consilium.registry.SecretCipher;
import io.consilium.registry.testing.ExpertStoreContract;
import io.consilium.router.state.LocalChangeBus;
import io.consilium.router.testing.RedisFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The expert contract against a replica's store: local copy in front, Redis behind. */
class ReplicatedExpertStoreIT extends ExpertStoreContract {

    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Override
    protected ExpertStore newEmptyStore() {
        redis.flushAll();
        RedisExpertStore shared = new RedisExpertStore(redis.connection(),
                new ExpertCodec(SecretCipher.withMasterKey("a-master-key-for-the-tests")));
        return new ReplicatedExpertStore(shared, new LocalChangeBus(), id -> {});
    }
}
