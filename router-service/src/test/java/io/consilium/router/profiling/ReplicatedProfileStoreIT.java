package io.consilium.router.profiling;

import io.consilium.profiler.ProfileStore;
import io.consilium.profiler.testing.ProfileStoreContract;
import io.consilium.router.state.LocalChangeBus;
import io.consilium.router.testing.RedisFixture;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The profile contract against a replica's store: local copy in front, Redis behind. */
class ReplicatedProfileStoreIT extends ProfileStoreContract {

    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Override
    protected ProfileStore newEmptyStore(Clock clock) {
        redis.flushAll();
        return new ReplicatedProfileStore(new RedisProfileStore(redis.connection(), clock), new LocalChangeBus());
    }
}
