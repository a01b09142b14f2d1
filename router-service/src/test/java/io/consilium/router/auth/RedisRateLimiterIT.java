package io.consilium.router.auth;

import io.consilium.router.testing.RedisFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The rate-limit contract against a real Redis: the Lua script's buckets. */
class RedisRateLimiterIT extends RateLimiterContract {

    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Override
    protected RateLimiter newLimiter() {
        redis.flushAll();
        return new RedisRateLimiter(redis.connection());
    }
}
