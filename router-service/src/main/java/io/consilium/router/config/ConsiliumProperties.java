package io.consilium.router.config;

import io.consilium.registry.ResilienceSettings;
import io.consilium.router.experts.ExpertSpec;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything under {@code consilium.*}. Bound once at start-up and turned into the immutable settings
 * the libraries take.
 *
 * @param experts experts registered at start-up
 * @param expertsFile optional YAML file with a list of further experts
 * @param api limits of the HTTP API
 * @param resilience shared resilience settings for every expert
 */
@ConfigurationProperties("consilium")
public record ConsiliumProperties(
        @DefaultValue List<ExpertSpec> experts,
        @Nullable String expertsFile,
        @DefaultValue Api api,
        @DefaultValue Resilience resilience) {

    /** @param maxBodySize largest request body accepted; larger bodies get a 413 */
    public record Api(@DefaultValue("10MB") DataSize maxBodySize) {}

    /** Mirrors {@link ResilienceSettings}; see there for the meaning of each value. */
    public record Resilience(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("10") int slidingWindowSize,
            @DefaultValue("5") int minimumCalls,
            @DefaultValue("10s") Duration openStateWait,
            @DefaultValue("2") int halfOpenCalls,
            @DefaultValue("2") int maxRetries,
            @DefaultValue("200ms") Duration initialBackoff,
            @DefaultValue("2") double backoffMultiplier,
            @DefaultValue("0.5") double jitter,
            @DefaultValue("500ms") Duration bulkheadMaxWait) {

        public ResilienceSettings toSettings() {
            return ResilienceSettings.custom()
                    .failureRateThreshold(failureRateThreshold)
                    .slidingWindowSize(slidingWindowSize)
                    .minimumCalls(minimumCalls)
                    .openStateWait(openStateWait)
                    .halfOpenCalls(halfOpenCalls)
                    .maxRetries(maxRetries)
                    .initialBackoff(initialBackoff)
                    .backoffMultiplier(backoffMultiplier)
                    .jitter(jitter)
                    .bulkheadMaxWait(bulkheadMaxWait)
                    .build();
        }
    }
}
