package io.consilium.router.state;

import io.consilium.profiler.TaxonomyStore;
import io.consilium.profiler.testing.TaxonomyStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisTaxonomyStoreIT extends TaxonomyStoreContract {

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
    protected TaxonomyStore newEmptyStore() {
        redis.flushAll();
        return new RedisTaxonomyStore(redis.connection());
    }
}
