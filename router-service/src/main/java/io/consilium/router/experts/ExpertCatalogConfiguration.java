package io.consilium.router.experts;

import io.consilium.profiler.TaxonomyService;
import io.consilium.profiler.ClassifierSettings;
import io.consilium.profiler.SkillClassifiers;
import io.consilium.profiler.UncertaintyThresholds;
import io.consilium.registry.BuiltinModels;
import io.consilium.registry.EgressPolicy;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.ExpertTracing;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.ExpertStore;
import io.consilium.registry.Reachability;
import io.consilium.registry.UpstreamHttpSettings;
import io.consilium.router.config.ConsiliumProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the expert catalogue: clients, registry, and the experts from configuration. The store comes
 * from {@link ExpertStoreConfiguration}, in memory or in Redis as {@code consilium.store} says.
 */
@Configuration(proxyBeanMethods = false)
class ExpertCatalogConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ExpertCatalogConfiguration.class);

    /** Which upstream addresses experts may have; the registry checks definitions and every call against it. */
    @Bean
    EgressPolicy egressPolicy(ConsiliumProperties properties) {
        ConsiliumProperties.Security security = properties.security();
        EgressPolicy policy = EgressPolicy.custom()
                .allowPrivateNetworks(security.allowPrivateNetworks())
                .allowLoopback(security.allowLoopback())
                .build();
        log.info("Expert egress: private networks {}, loopback {}; link-local and cloud metadata addresses refused",
                allowed(policy.allowsPrivateNetworks()), allowed(policy.allowsLoopback()));
        return policy;
    }

    /**
     * The models that ship with the service, for experts of provider builtin; each loads on its expert's first
     * call, so a replica whose configuration names none never loads one.
     */
    @Bean(destroyMethod = "close")
    BuiltinModels builtinModels(ConsiliumProperties properties) {
        ConsiliumProperties.Classifier classifier = properties.classifier();
        // The first tokens of each input, as embedding models read them: no window from its end, no word left out.
        ClassifierSettings settings = new ClassifierSettings(MiniLmEmbedder.MAX_TOKENS, 0, false,
                ClassifierSettings.FirstReading.OFF, classifier.intraOpThreads(), 0, UncertaintyThresholds.DEFAULTS);
        return BuiltinModels.of(Map.of(MiniLmEmbedder.MODEL, () -> new MiniLmEmbedder(SkillClassifiers.miniLm(settings))));
    }

    @Bean(destroyMethod = "close")
    ExpertClients expertClients(ConsiliumProperties properties, MeterRegistry meters, EgressPolicy egressPolicy,
            BuiltinModels builtinModels, ExpertTracing tracing) {
        UpstreamHttpSettings http = properties.http().toSettings();
        log.info("Remote experts are called through the {} HTTP client", http.client().name().toLowerCase(Locale.ROOT));
        return ExpertClients.create(properties.resilience().toSettings(), meters, egressPolicy,
                properties.localModels().toSettings(), http, builtinModels, tracing);
    }

    @Bean
    ExpertSpecReader expertSpecReader() {
        return new ExpertSpecReader();
    }

    /** The active checks' results; with checks off, nothing is ever found unreachable. */
    @Bean
    Reachability reachability(ConsiliumProperties properties, EgressPolicy egressPolicy) {
        return new Reachability(egressPolicy, properties.healthChecks().toSettings(), Clock.systemUTC());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "consilium.health-checks.enabled", matchIfMissing = true)
    ReachabilityChecker reachabilityChecker(ExpertRegistry registry, Reachability reachability, MeterRegistry meters) {
        return new ReachabilityChecker(registry, reachability, meters);
    }

    @Bean
    ExpertRegistry expertRegistry(ExpertStore store, TaxonomyService taxonomy, ExpertClients clients,
            ExpertsProperties configured, ExpertSpecReader reader, Reachability reachability) {
        ExpertRegistry registry = new ExpertRegistry(store, taxonomy::contains, clients, reachability);
        int loaded = new ExpertBootstrap(reader).load(configured, registry);
        log.info("Registered {} experts from configuration", loaded);
        return registry;
    }

    private static String allowed(boolean allowed) {
        return allowed ? "allowed" : "refused";
    }
}
