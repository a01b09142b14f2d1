package io.consilium.router.auth;

import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.state.ChangeBus;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Keys, the admin key and rate limits, on the configured store. */
@Configuration(proxyBeanMethods = false)
class AuthConfiguration {

    @Bean
    ApiKeyStore apiKeyStore(ConsiliumProperties properties,
            ObjectProvider<StatefulRedisConnection<String, String>> redis, JsonMapper json) {
        return properties.redisStore() ? new RedisApiKeyStore(redis.getObject(), json) : new InMemoryApiKeyStore();
    }

    @Bean
    ApiKeys apiKeys(ApiKeyStore store, ChangeBus changes) {
        return new ApiKeys(store, changes, Clock.systemUTC());
    }

    @Bean
    AdminKey adminKey(ConsiliumProperties properties, ApiKeyStore store) {
        return AdminKey.establish(properties.auth().adminKey(), store);
    }

    @Bean
    RateLimits rateLimits(ConsiliumProperties properties, ObjectProvider<StatefulRedisConnection<String, String>> redis,
            MeterRegistry meters) {
        RateLimiter limiter = properties.redisStore()
                ? new RedisRateLimiter(redis.getObject())
                : new InMemoryRateLimiter(System::currentTimeMillis);
        return new RateLimits(limiter, properties.auth().rateLimitFailOpen(), meters);
    }
}
