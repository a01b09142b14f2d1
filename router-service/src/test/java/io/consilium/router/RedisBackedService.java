package io.consilium.router;

import io.consilium.router.testing.RedisServer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link RunningService} on {@code consilium.store=redis}, shared by every integration test class that
 * extends this one (same configuration, so Spring starts it once). Its Redis is the run's
 * {@link RedisServer#shared() shared server}, which outlives the classes as the cached context does:
 * tests read it freely but never flush or stop it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "consilium.store=redis",
        "consilium.security.master-key=" + RedisBackedService.MASTER_KEY,
        "consilium.auth.admin-key=" + RunningService.ADMIN_KEY
})
public abstract class RedisBackedService extends RunningService {

    protected static final String MASTER_KEY = "redis-backed-service-master-key";

    @DynamicPropertySource
    static void sharedRedis(DynamicPropertyRegistry properties) {
        properties.add("consilium.redis.url", () -> RedisServer.shared().url());
    }

    /** The Redis the service uses, for looking at what it stored. */
    protected static RedisServer redisServer() {
        return RedisServer.shared();
    }
}
