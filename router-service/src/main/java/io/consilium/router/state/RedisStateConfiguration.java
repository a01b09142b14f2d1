package io.consilium.router.state;

import io.consilium.profiler.ProfileStore;
import io.consilium.profiler.ProfilingJobStore;
import io.consilium.profiler.TaxonomyService;
import io.consilium.profiler.TaxonomyStore;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.ExpertStore;
import io.consilium.registry.SecretCipher;
import io.consilium.router.batchapi.BatchStore;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.feedback.CompletionLog;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code consilium.store=redis}: state shared by replicas through Redis (Lettuce). One client (see
 * {@link RedisClients} for how it reconnects), one command connection (a bean: API keys and rate limits
 * and each feature's Redis store use it) and one pub/sub connection for the {@link RedisChangeBus}. Redis must be reachable at
 * start-up; afterwards reads on the request path come from local copies and survive an outage.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.REDIS)
class RedisStateConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RedisStateConfiguration.class);

    @Bean(destroyMethod = "shutdown")
    ClientResources redisClientResources() {
        return RedisClients.resources();
    }

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(ClientResources resources, ConsiliumProperties properties) {
        return RedisClients.create(resources, properties.redis());
    }

    @Bean(destroyMethod = "close")
    StatefulRedisConnection<String, String> redisConnection(RedisClient client, ConsiliumProperties properties) {
        RedisEndpoint endpoint = RedisEndpoint.of(properties.redis());
        try {
            StatefulRedisConnection<String, String> connection = client.connect();
            log.info("Shared state in Redis at {}", endpoint);
            return connection;
        } catch (RedisException e) {
            throw new StateUnavailableException("connect to " + endpoint + " (consilium.redis.url) at start-up", e);
        }
    }

    @Bean(destroyMethod = "close")
    RedisChangeBus changeBus(RedisClient client, StatefulRedisConnection<String, String> connection,
            ConsiliumProperties properties) {
        return new RedisChangeBus(client, connection, properties.redis().resyncInterval());
    }
}
