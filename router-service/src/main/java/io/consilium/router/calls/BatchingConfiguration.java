package io.consilium.router.calls;

import io.consilium.registry.ExpertRegistry;
import io.consilium.router.config.ConsiliumProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Turns {@code consilium.batching.*} into settings once, failing the start on a bad value. */
@Configuration(proxyBeanMethods = false)
class BatchingConfiguration {

    @Bean
    ExpertCalls expertCalls(ExpertRegistry registry, ConsiliumProperties properties, MeterRegistry meters) {
        ConsiliumProperties.Batching batching = properties.batching();
        return new ExpertCalls(registry, new BatchingSettings(batching.window(), batching.maxBatchSize()), meters);
    }
}
