package io.consilium.router.budgets;

import io.consilium.router.config.ConsiliumProperties;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The spending ledger on the configured store: Redis, shared by replicas, or this process's memory. */
@Configuration(proxyBeanMethods = false)
class BudgetsConfiguration {

    @Bean
    Budgets budgets(ConsiliumProperties properties, ObjectProvider<StatefulRedisConnection<String, String>> redis,
            MeterRegistry meters) {
        SpendLedger ledger = properties.redisStore() ? new RedisSpendLedger(redis.getObject()) : new InMemorySpendLedger();
        return new Budgets(ledger, Clock.systemUTC(), properties.auth().rateLimitFailOpen(), meters);
    }
}
