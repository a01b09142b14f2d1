package io.consilium.router.profiling;

import io.consilium.profiler.ProfileStore;
import io.consilium.profiler.ProfilingJobStore;
import io.consilium.profiler.internal.InMemoryProfileStore;
import io.consilium.profiler.internal.InMemoryProfilingJobStore;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.state.ChangeBus;
import io.consilium.router.state.StoreSelection;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where profiles and profiling jobs are kept: in this process, or in Redis (profiles with a local copy). */
@Configuration(proxyBeanMethods = false)
class ProfileStoreConfiguration {

    @Bean
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.MEMORY, matchIfMissing = true)
    ProfileStore inMemoryProfileStore() {
        return new InMemoryProfileStore(Clock.systemUTC());
    }

    @Bean
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.MEMORY, matchIfMissing = true)
    ProfilingJobStore inMemoryProfilingJobStore(ConsiliumProperties properties) {
        return new InMemoryProfilingJobStore(properties.profiling().keepJobs());
    }

    @Bean
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.REDIS)
    ProfileStore redisProfileStore(StatefulRedisConnection<String, String> connection, ChangeBus changes) {
        return new ReplicatedProfileStore(new RedisProfileStore(connection, Clock.systemUTC()), changes);
    }

    @Bean
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.REDIS)
    ProfilingJobStore redisProfilingJobStore(StatefulRedisConnection<String, String> connection,
            ConsiliumProperties properties) {
        return new RedisProfilingJobStore(connection, properties.profiling().keepJobs());
    }
}
