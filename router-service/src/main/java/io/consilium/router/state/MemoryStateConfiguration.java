package io.consilium.router.state;

import io.consilium.profiler.ProfileStore;
import io.consilium.profiler.ProfilingJobStore;
import io.consilium.profiler.SkillClassifiers;
import io.consilium.profiler.TaxonomyStore;
import io.consilium.profiler.internal.InMemoryProfileStore;
import io.consilium.profiler.internal.InMemoryProfilingJobStore;
import io.consilium.registry.ExpertStore;
import io.consilium.registry.ExpertStores;
import io.consilium.router.batchapi.BatchStore;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.feedback.CompletionLog;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code consilium.store=memory} (the default): nothing to share, so changes are announced within this
 * process only. Each feature makes its own in-memory store beside its Redis one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.MEMORY, matchIfMissing = true)
class MemoryStateConfiguration {

    @Bean
    ChangeBus changeBus() {
        return new LocalChangeBus();
    }
}
