package io.consilium.router.experts;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Reachability;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link Reachability} checks of the enabled remote experts as they fall due (every second it
 * looks which are), each on a virtual thread of its own so that a slow endpoint holds up no other, and
 * counts them: {@code consilium_expert_reachable{expert}} is 1 or 0, and
 * {@code consilium_expert_health_checks_total{expert,outcome}} counts the checks.
 */
public final class ReachabilityChecker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReachabilityChecker.class);

    private final ExpertRegistry registry;
    private final Reachability reachability;
    private final MeterRegistry meters;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private final ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor();
    private ScheduledExecutorService ticks;

    public ReachabilityChecker(ExpertRegistry registry, Reachability reachability, MeterRegistry meters) {
        this.registry = registry;
        this.reachability = reachability;
        this.meters = meters;
    }

    /** Checks the expert now, on the caller's thread, and records the outcome; empty for experts that call nobody. */
    public Optional<Reachability.Check> checkNow(Expert expert) {
        boolean wasUnreachable = reachability.unreachable(expert.id());
        Optional<Reachability.Check> check = reachability.check(expert);
        check.ifPresent(result -> record(expert, result, wasUnreachable));
        return check;
    }

    /** Starts the checks of the enabled experts that are due, without waiting for them. */
    public void checkDue() {
        List<Expert> experts = registry.all();
        reachability.retainOnly(experts);
        for (Expert expert : experts) {
            if (expert.enabled() && reachability.due(expert) && running.add(expert.id())) {
                checks.submit(() -> {
                    try {
                        checkNow(expert);
                    } finally {
                        running.remove(expert.id());
                    }
                });
            }
        }
    }

    private void record(Expert expert, Reachability.Check check, boolean wasUnreachable) {
        Counter.builder("consilium.expert.health.checks").description("Active reachability checks of remote experts")
                .tag("expert", expert.id()).tag("outcome", check.reachable() ? "reachable" : "unreachable")
                .register(meters).increment();
        if (gauged.add(expert.id())) {
            Gauge.builder("consilium.expert.reachable", reachability,
                            checks -> checks.unreachable(expert.id()) ? 0 : 1)
                    .description("1 when the last reachability check of the expert passed, 0 when it failed")
                    .tag("expert", expert.id()).register(meters);
        }
        if (!check.reachable() && check.failures() == 1) {
            log.warn("Expert {} is unreachable ({}); routing skips it until a check passes", expert.id(), check.problem());
        } else if (check.reachable() && wasUnreachable) {
            log.info("Expert {} is reachable again; routing may choose it", expert.id());
        }
    }

    @Override
    public void start() {
        ticks = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("expert-health-checks").daemon().factory());
        ticks.scheduleWithFixedDelay(() -> {
            try {
                checkDue();
            } catch (RuntimeException e) {
                log.warn("Expert health checks failed to start a round", e);
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        if (ticks != null) {
            ticks.shutdownNow();
        }
        checks.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return ticks != null && !ticks.isShutdown();
    }
}
