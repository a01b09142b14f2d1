package io.consilium.router.profiling;

import io.consilium.profiler.ProfileStore;
import io.consilium.profiler.testing.ProfileStoreContract;
import io.consilium.router.testing.RedisFixture;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisProfileStoreIT extends ProfileStoreContract {

    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Override
    protected ProfileStore newEmptyStore(Clock clock) {
        redis.flushAll();
        return new RedisProfileStore(redis.connection(), clock);
    }
}
