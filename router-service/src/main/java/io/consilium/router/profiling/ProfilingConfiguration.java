package io.consilium.router.profiling;

import io.consilium.aggregator.Fuser;
import io.consilium.profiler.CompetenceModel;
import io.consilium.profiler.ProfileService;
import io.consilium.profiler.ProfileStore;
import io.consilium.profiler.ProfilingItemReader;
import io.consilium.profiler.ProfilingJobStore;
import io.consilium.profiler.ProfilingJobs;
import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.TaxonomyService;
import io.consilium.registry.ExpertRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires profiles and profiling jobs; aggregators are profiled through the service's one
 * {@link Fuser}, with the instructions they later run with. Their stores are made beside them, in memory or in Redis.
 */
@Configuration(proxyBeanMethods = false)
class ProfilingConfiguration {

    @Bean
    ProfileService profileService(ProfileStore store) {
        return new ProfileService(store, CompetenceModel.DEFAULTS);
    }

    @Bean(destroyMethod = "close")
    ProfilingJobs profilingJobs(ExpertRegistry registry, ProfileService profiles, QueryClassifier classifier,
            Fuser fuser, ProfilingJobStore store) {
        return new ProfilingJobs(registry, profiles, classifier, fuser, store, Clock.systemUTC());
    }

    @Bean
    ProfilingItemReader profilingItemReader(TaxonomyService taxonomy) {
        return new ProfilingItemReader(taxonomy::contains);
    }
}
