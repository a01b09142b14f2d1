package io.consilium.router.taxonomy;

import io.consilium.profiler.SkillClassifiers;
import io.consilium.profiler.TaxonomyService;
import io.consilium.profiler.TaxonomyStore;
import io.consilium.router.state.ChangeBus;
import io.consilium.router.state.StoreSelection;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where taxonomy changes are kept: in this process, or in Redis, followed by every replica. */
@Configuration(proxyBeanMethods = false)
class TaxonomyStoreConfiguration {

    @Bean
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.MEMORY, matchIfMissing = true)
    TaxonomyStore inMemoryTaxonomyStore() {
        return SkillClassifiers.inMemoryStore();
    }

    @Bean
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.REDIS)
    TaxonomyStore redisTaxonomyStore(StatefulRedisConnection<String, String> connection, ChangeBus changes) {
        return new ReplicatedTaxonomyStore(new RedisTaxonomyStore(connection), changes);
    }

    @Bean
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.REDIS)
    TaxonomyFollower taxonomyFollower(TaxonomyService taxonomy, StatefulRedisConnection<String, String> connection,
            ChangeBus changes) {
        return new TaxonomyFollower(taxonomy, new RedisTaxonomyStore(connection), changes);
    }
}
