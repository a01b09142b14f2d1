package io.consilium.router.responses;

import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.state.StoreSelection;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Keeps stored responses in this process, or in Redis (sealed, expiring) when the store is Redis. */
@Configuration(proxyBeanMethods = false)
class ResponsesConfiguration {

    @Bean
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.MEMORY, matchIfMissing = true)
    ResponseStore inMemoryResponseStore(ResponsesProperties properties) {
        return ResponseStore.inMemory(properties.retention(), properties.maxStored());
    }

    @Bean
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.REDIS)
    ResponseStore redisResponseStore(StatefulRedisConnection<String, String> connection, ResponsesProperties properties,
            ConsiliumProperties consilium) {
        return new RedisResponseStore(connection, properties.retention(), StoreSelection.masterCipher(consilium));
    }
}
