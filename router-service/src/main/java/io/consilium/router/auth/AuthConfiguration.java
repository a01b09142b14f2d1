package io.consilium.router.auth;

import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.state.ChangeBus;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/** Keys, the admin key, rate limits and the filter that applies them, on the configured store. */
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
    AdminSessions adminSessions(AdminKey adminKey) {
        return new AdminSessions(adminKey);
    }

    @Bean
    RateLimits rateLimits(ConsiliumProperties properties, ObjectProvider<StatefulRedisConnection<String, String>> redis,
            MeterRegistry meters) {
        RateLimiter limiter = properties.redisStore()
                ? new RedisRateLimiter(redis.getObject())
                : new InMemoryRateLimiter(System::currentTimeMillis);
        return new RateLimits(limiter, properties.auth().rateLimitFailOpen(), meters);
    }

    @Bean
    FilterRegistrationBean<AuthenticationFilter> authenticationFilter(ApiKeys keys, AdminKey adminKey,
            AdminSessions sessions, RateLimits limits, ConsiliumProperties properties, JsonMapper json) {
        FilterRegistrationBean<AuthenticationFilter> registration = new FilterRegistrationBean<>(
                new AuthenticationFilter(keys, adminKey, sessions, limits, properties.auth().anonymous(), json));
        registration.addUrlPatterns("/v1/*", "/admin/api/*");
        // Before the body is read: a request without a valid key costs next to nothing.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }
}
