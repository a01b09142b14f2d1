package io.consilium.router.experts;

import io.consilium.registry.ExpertClients;
import io.consilium.registry.ExpertStore;
import io.consilium.registry.ExpertStores;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.state.ChangeBus;
import io.consilium.router.state.StoreSelection;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where the expert catalogue is kept: in this process, or in Redis with a local copy per replica. */
@Configuration(proxyBeanMethods = false)
class ExpertStoreConfiguration {

    @Bean
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.MEMORY, matchIfMissing = true)
    ExpertStore inMemoryExpertStore() {
        return ExpertStores.inMemory();
    }

    @Bean
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.REDIS)
    ExpertStore redisExpertStore(StatefulRedisConnection<String, String> connection, ChangeBus changes,
            ExpertClients clients, ConsiliumProperties properties) {
        ExpertCodec codec = new ExpertCodec(StoreSelection.masterCipher(properties));
        return new ReplicatedExpertStore(new RedisExpertStore(connection, codec), changes, clients::forget);
    }
}
