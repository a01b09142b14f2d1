package io.consilium.router.batchapi;

import io.consilium.aggregator.Fuser;
import io.consilium.registry.ExpertRegistry;
import io.consilium.router.calls.ExpertCalls;
import io.consilium.router.chat.ChatAnswers;
import io.consilium.router.chat.ChatRequestValidator;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.embeddings.Embedder;
import io.consilium.router.routing.Router;
import io.consilium.router.state.StoreSelection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the Batch API, and keeps its batches and files in this process or in Redis. */
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
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.MEMORY, matchIfMissing = true)
    BatchStore inMemoryBatchStore() {
        return BatchStore.inMemory();
    }

    @Bean
    @ConditionalOnProperty(name = "consilium.store", havingValue = StoreSelection.REDIS)
    BatchStore redisBatchStore(StatefulRedisConnection<String, String> connection) {
        return BatchStore.redis(connection);
    }

    @Bean
    BatchInputReader batchInputReader(ConsiliumProperties properties) {
        return new BatchInputReader(new ChatRequestValidator(properties.api().maxMessages()));
    }

    @Bean
    BatchRunner batchRunner(BatchStore store, BatchInputReader reader, Router router, ExpertRegistry registry,
            ChatAnswers answers, Fuser fuser, ExpertCalls calls, Embedder embedder, MeterRegistry meters,
            ConsiliumProperties properties) {
        BatchEngine engine = new BatchEngine(router, registry, answers, fuser,
                new ChatRequestValidator(properties.api().maxMessages()),
                new ExpertGroups(calls, CALLS_IN_FLIGHT), embedder, properties.resilience().openStateWait(),
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
