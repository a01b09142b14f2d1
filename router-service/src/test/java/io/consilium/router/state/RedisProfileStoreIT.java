package io.consilium.router.state;

import io.consilium.profiler.ProfileStore;
import io.consilium.profiler.testing.ProfileStoreContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisProfileStoreIT extends ProfileStoreContract {

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
    protected ProfileStore newEmptyStore(Clock clock) {
        redis.flushAll();
        return new RedisProfileStore(redis.connection(), clock);
    }
}
