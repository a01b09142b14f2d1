package io.consilium.router.taxonomy;

import io.consilium.profiler.TaxonomyStore;
import io.consilium.profiler.testing.TaxonomyStoreContract;
import io.consilium.router.testing.RedisFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisTaxonomyStoreIT extends TaxonomyStoreContract {

    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Override
    protected TaxonomyStore newEmptyStore() {
        redis.flushAll();
        return new RedisTaxonomyStore(redis.connection());
    }
}
