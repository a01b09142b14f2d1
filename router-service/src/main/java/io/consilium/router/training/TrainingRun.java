package io.consilium.router.training;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;

/**
 * Once the service accepts traffic, sends it the training requests, then closes it and ends the process: with
 * status 0 when every request got what it should, 1 otherwise, so that a build that trains an AOT cache stops
 * on a service that does not work instead of caching it.
 */
final class TrainingRun {

    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);
    /** When everything fails, the first lines say why; the count says how much. */
    private static final int UNEXPECTED_SHOWN = 20;

    private final ConfigurableApplicationContext context;
    private final IntFunction<TrainingRequests> requestsToPort;
    private final Settings settings;
    private final IntConsumer exit;
    private final AtomicBoolean started = new AtomicBoolean();

    /**
     * @param clients requests sent at once, one round after the other each
     * @param rounds rounds per client
     */
    record Settings(int clients, int rounds) {

        Settings {
            if (clients < 1 || clients > 64) {
                throw new IllegalArgumentException("clients must be between 1 and 64, but was " + clients);
            }
            if (rounds < 1 || rounds > 1_000) {
                throw new IllegalArgumentException("rounds must be between 1 and 1000, but was " + rounds);
            }
        }
    }

    /**
     * @param requestsToPort the requests to send to the service on the given port, made once it is ready
     * @param exit ends the process with the given status
     */
    TrainingRun(ConfigurableApplicationContext context, IntFunction<TrainingRequests> requestsToPort, Settings settings,
            IntConsumer exit) {
        this.context = context;
        this.requestsToPort = requestsToPort;
        this.settings = settings;
        this.exit = exit;
    }

    @EventListener
    void onReadiness(AvailabilityChangeEvent<ReadinessState> event) {
        if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC && started.compareAndSet(false, true)) {
            // Not on the thread that publishes readiness: that one is still finishing the start.
            Thread.ofPlatform().name("aot-training").start(this::run);
        }
    }

    private void run() {
        long start = System.nanoTime();
        int status;
        try {
            int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            TrainingRequests.Outcome outcome = requestsToPort.apply(port).send(settings.clients(), settings.rounds());
            outcome.expected().forEach((call, count) -> log.info("Training run: {} × {}", count, call));
            outcome.unexpected().stream().limit(UNEXPECTED_SHOWN).forEach(line -> log.error("Training run: {}", line));
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (outcome.asExpected()) {
                log.info("Training run finished: {} requests in {} ms, every one as expected", outcome.total(), millis);
                status = 0;
            } else {
                log.error("Training run failed: {} of {} requests not as expected", outcome.unexpected().size(), outcome.total());
                status = 1;
            }
        } catch (RuntimeException e) {
            log.error("Training run failed", e);
            status = 1;
        }
        int code = status;
        exit.accept(SpringApplication.exit(context, () -> code));
    }
}
