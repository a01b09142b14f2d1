package io.consilium.router.batch;

import io.consilium.registry.ExpertRegistry;
import io.consilium.router.batching.ExpertCalls;
import io.consilium.router.chat.ChatAnswers;
import io.consilium.router.chat.ChatRequestValidator;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.routing.Router;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the Batch API. The {@link BatchStore} comes from the {@code state} package, like every store.
 */
@Configuration(proxyBeanMethods = false)
class BatchConfiguration {

    /** Batches run at once; the rest wait for a slot. */
    static final int MAX_RUNNING_BATCHES = 4;
    /** Remote calls one batch has in flight at once, across its experts. */
    static final int CALLS_IN_FLIGHT = 32;
    /** How soon a batch left by a replica that died is resumed. */
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration TICK = Duration.ofSeconds(2);
    static final int SCAN_EVERY_TICKS = 5;

    @Bean
    BatchInputReader batchInputReader(ConsiliumProperties properties) {
        return new BatchInputReader(new ChatRequestValidator(properties.api().maxMessages()));
    }

    @Bean
    BatchRunner batchRunner(BatchStore store, BatchInputReader reader, Router router, ExpertRegistry registry,
            ChatAnswers answers, ExpertCalls calls, MeterRegistry meters,
            ConsiliumProperties properties) {
        BatchEngine engine = new BatchEngine(router, registry, answers,
                new ChatRequestValidator(properties.api().maxMessages()),
                new ExpertGroups(calls, CALLS_IN_FLIGHT), properties.resilience().openStateWait(),
                Math.max(1, Runtime.getRuntime().availableProcessors()));
        ModelLoads loads = new ModelLoads(meters);
        return new BatchRunner(store, (batchId, control) -> new BatchJob(batchId, store, reader, engine, loads, control,
                Clock.systemUTC()), new BatchRunner.Settings(MAX_RUNNING_BATCHES, LEASE, TICK, SCAN_EVERY_TICKS));
    }

    @Bean
    Batches batches(BatchStore store, BatchInputReader reader, BatchRunner runner) {
        return new Batches(store, reader, runner, Clock.systemUTC());
    }
}
