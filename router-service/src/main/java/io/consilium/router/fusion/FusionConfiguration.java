package io.consilium.router.fusion;

import io.consilium.aggregator.Fuser;
import io.consilium.aggregator.FusionConfig;
import io.consilium.router.config.ConsiliumProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Turns the fusion settings into one {@link FusionConfig}, failing the start on a bad value, and makes the
 * {@link Fuser} that chat, the Batch API and aggregator profiling share, so that aggregators are profiled
 * with the instructions they later run with.
 */
@Configuration(proxyBeanMethods = false)
class FusionConfiguration {

    @Bean
    FusionConfig fusionConfig(ConsiliumProperties properties) {
        String file = properties.profiling().synthesisPromptFile();
        if (file == null || file.isBlank()) {
            return FusionConfig.ofDefaults();
        }
        try {
            return FusionConfig.custom().synthesisInstructions(Files.readString(Path.of(file))).build();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("consilium.profiling.synthesis-prompt-file " + file
                    + " cannot be used: " + e.getMessage(), e);
        }
    }

    @Bean
    Fuser fuser(FusionConfig config) {
        return Fuser.of(config);
    }
}
