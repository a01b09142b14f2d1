package io.consilium.router.state;

import io.consilium.profiler.ProfilingJobStore;
import io.consilium.profiler.testing.ProfilingJobStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisProfilingJobStoreIT extends ProfilingJobStoreContract {

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
    protected ProfilingJobStore newEmptyStore(int capacity) {
        redis.flushAll();
        return new RedisProfilingJobStore(redis.connection(), capacity);
    }
}
