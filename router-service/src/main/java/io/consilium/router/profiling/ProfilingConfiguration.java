package io.consilium.router.profiling;

import io.consilium.aggregator.SynthesisPrompt;
import io.consilium.profiler.CompetenceModel;
import io.consilium.profiler.ProfileService;
import io.consilium.profiler.ProfileStore;
import io.consilium.profiler.ProfilingItemReader;
import io.consilium.profiler.ProfilingJobStore;
import io.consilium.profiler.ProfilingJobs;
import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.TaxonomyService;
import io.consilium.registry.ExpertRegistry;
import io.consilium.router.config.ConsiliumProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires profiles, profiling jobs and the synthesis prompt aggregators are profiled (and later run) with.
 * Their stores come from the {@code state} package.
 */
@Configuration(proxyBeanMethods = false)
class ProfilingConfiguration {

    @Bean
    ProfileService profileService(ProfileStore store) {
        return new ProfileService(store, CompetenceModel.DEFAULTS);
    }

    @Bean
    SynthesisPrompt synthesisPrompt(ConsiliumProperties properties) {
        String file = properties.profiling().synthesisPromptFile();
        if (file == null || file.isBlank()) {
            return SynthesisPrompt.defaults();
        }
        try {
            return new SynthesisPrompt(Files.readString(Path.of(file)));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("consilium.profiling.synthesis-prompt-file " + file
                    + " cannot be used: " + e.getMessage(), e);
        }
    }

    @Bean(destroyMethod = "close")
    ProfilingJobs profilingJobs(ExpertRegistry registry, ProfileService profiles, QueryClassifier classifier,
            SynthesisPrompt synthesis, ProfilingJobStore store) {
        return new ProfilingJobs(registry, profiles, classifier, synthesis, store, Clock.systemUTC());
    }

    @Bean
    ProfilingItemReader profilingItemReader(TaxonomyService taxonomy) {
        return new ProfilingItemReader(taxonomy::contains);
    }
}
