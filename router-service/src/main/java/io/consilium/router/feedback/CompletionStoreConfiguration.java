package io.consilium.router.feedback;

import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.state.StoreSelection;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where answers are remembered for feedback: in this process, or in Redis (sealed, expiring). */
@Configuration(proxyBeanMethods = false)
class CompletionStoreConfiguration {

    @Bean
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.MEMORY, matchIfMissing = true)
    CompletionLog.Store inMemoryCompletionStore(ConsiliumProperties properties) {
        return CompletionLog.inMemory(properties.feedback().rememberedCompletions(), properties.feedback().rememberFor());
    }

    @Bean
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.REDIS)
    CompletionLog.Store redisCompletionStore(StatefulRedisConnection<String, String> connection,
            ConsiliumProperties properties) {
        return new RedisCompletionStore(connection, properties.feedback().rememberFor(),
                StoreSelection.masterCipher(properties));
    }
}
