package io.consilium.router.experts;

import io.consilium.profiler.TaxonomyService;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.ExpertStore;
import io.consilium.registry.ExpertStores;
import io.consilium.router.config.ConsiliumProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the expert catalogue: store, clients, registry, and the experts from configuration. */
@Configuration(proxyBeanMethods = false)
class ExpertCatalogConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ExpertCatalogConfiguration.class);

    @Bean
    ExpertStore expertStore() {
        return ExpertStores.inMemory();
    }

    @Bean(destroyMethod = "close")
    ExpertClients expertClients(ConsiliumProperties properties, MeterRegistry meters) {
        return ExpertClients.create(properties.resilience().toSettings(), meters);
    }

    @Bean
    ExpertSpecReader expertSpecReader() {
        return new ExpertSpecReader();
    }

    @Bean
    ExpertRegistry expertRegistry(ExpertStore store, TaxonomyService taxonomy, ExpertClients clients,
            ConsiliumProperties properties, ExpertSpecReader reader) {
        ExpertRegistry registry = new ExpertRegistry(store, taxonomy::contains, clients);
        int loaded = new ExpertBootstrap(reader).load(properties, registry);
        log.info("Registered {} experts from configuration", loaded);
        return registry;
    }
}
