package io.consilium.router.profiling;

import io.consilium.profiler.ProfilingJobStore;
import io.consilium.profiler.testing.ProfilingJobStoreContract;
import io.consilium.router.testing.RedisFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisProfilingJobStoreIT extends ProfilingJobStoreContract {

    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Override
    protected ProfilingJobStore newEmptyStore(int capacity) {
        redis.flushAll();
        return new RedisProfilingJobStore(redis.connection(), capacity);
    }
}
