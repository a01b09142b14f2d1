package io.consilium.router.cache;

import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.state.StoreSelection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Keeps cached answers where {@code consilium.cache.store} says, by default where {@code consilium.store} keeps
 * the rest: in this process, or in Redis shared by every replica (which needs {@code consilium.store=redis}, the
 * one Redis connection being set up by the state configuration).
 */
@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

    @Bean
    AnswerCache answerCache(CacheProperties cache, Environment environment,
            ObjectProvider<StatefulRedisConnection<String, String>> redis, ConsiliumProperties consilium,
            MeterRegistry meters) {
        CacheMetrics metrics = new CacheMetrics(meters);
        if (cache.cacheMode() == CacheMode.OFF) {
            // Nothing is kept, so nothing is set up: an off cache costs neither memory nor a connection.
            return new AnswerCache(cache, new InMemoryAnswerStore(1, 1, cache.ttl(), System::currentTimeMillis),
                    metrics, System::currentTimeMillis);
        }
        String store = cache.store() == null || cache.store().isBlank()
                ? environment.getProperty("consilium.store", StoreSelection.MEMORY) : cache.store();
        AnswerStore answers;
        if (store.equals(StoreSelection.REDIS)) {
            StatefulRedisConnection<String, String> connection = redis.getIfAvailable();
            if (connection == null) {
                throw new IllegalStateException("consilium.cache.store is redis, which needs consilium.store=redis"
                        + " (the Redis connection and the master key that seals cached answers)");
            }
            answers = new RedisAnswerStore(connection, StoreSelection.masterCipher(consilium), cache.maxPerPartition(),
                    cache.ttl(), System::currentTimeMillis);
        } else {
            answers = new InMemoryAnswerStore(cache.maxEntries(), cache.maxPerPartition(), cache.ttl(),
                    System::currentTimeMillis);
        }
        return new AnswerCache(cache, answers, metrics, System::currentTimeMillis);
    }
}
