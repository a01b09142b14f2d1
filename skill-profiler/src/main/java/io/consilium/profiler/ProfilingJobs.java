package io.consilium.profiler;

import io.consilium.aggregator.Fuser;
import io.consilium.profiler.internal.ProfilingRun;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Role;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * Starts profiling jobs in the background, reports their status and cancels them. Jobs call experts
 * through the registry's resilient clients, like chat traffic does.
 */
public final class ProfilingJobs implements AutoCloseable {

    private final ExpertRegistry registry;
    private final ProfileService profiles;
    private final @Nullable QueryClassifier classifier;
    private final Fuser fuser;
    private final ProfilingJobStore store;
    private final Clock clock;
    private final ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, ProfilingRun> live = new ConcurrentHashMap<>();

    public ProfilingJobs(ExpertRegistry registry, ProfileService profiles, @Nullable QueryClassifier classifier,
            Fuser fuser, ProfilingJobStore store, Clock clock) {
        this.registry = registry;
        this.profiles = profiles;
        this.classifier = classifier;
        this.fuser = fuser;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Checks the request and starts the job.
     *
     * @throws InvalidProfilingRequestException naming the option: an unknown or disabled expert, a judge
     *     that cannot judge (checked whenever one is named, even if no item needs it)
     * @throws IllegalArgumentException naming what is wrong: an item
     *     that cannot be graded, judge items without a judge
     */
    public ProfilingJobStatus start(ProfilingRequest request) {
        request.items().forEach(Graders::validate);
        List<Expert> experts = resolve(request.expertIds(), Role.EXPERT, "experts");
        List<Expert> aggregators = resolve(request.aggregatorIds(), Role.AGGREGATOR, "aggregators");
        if (experts.isEmpty()) {
            throw new InvalidProfilingRequestException("experts", "no enabled expert to profile");
        }
        ExpertClient judge = judgeFor(request);
        Map<AnswerType, Grader> graders = new ConcurrentHashMap<>();
        ProfilingRun run = new ProfilingRun("prof-" + UUID.randomUUID(), request, experts, aggregators,
                registry::clientFor, item -> graders.computeIfAbsent(item.answerType(), type -> Graders.forType(type, judge)),
                profiles, classifier, fuser, store, clock);
        live.put(run.id(), run);
        runner.submit(() -> {
            try {
                run.run();
            } finally {
                live.remove(run.id());
            }
        });
        return run.status();
    }

    /** The job's status, live if it runs here. */
    public Optional<ProfilingJobStatus> status(String id) {
        ProfilingRun run = live.get(id);
        return run != null ? Optional.of(run.status()) : store.find(id);
    }

    public List<ProfilingJobStatus> recent(int limit) {
        List<ProfilingJobStatus> recent = new ArrayList<>();
        for (ProfilingJobStatus stored : store.recent(limit)) {
            recent.add(status(stored.id()).orElse(stored));
        }
        return recent;
    }

    /** Cancels a job running here; returns its status, or empty if there is no such job. */
    public Optional<ProfilingJobStatus> cancel(String id) {
        ProfilingRun run = live.get(id);
        if (run != null) {
            run.cancel();
        }
        return status(id);
    }

    @Override
    public void close() {
        live.values().forEach(ProfilingRun::cancel);
        runner.shutdownNow();
    }

    private List<Expert> resolve(List<String> ids, Role role, String field) {
        if (ids.isEmpty()) {
            return registry.enabled().stream().filter(expert -> expert.hasRole(role)).toList();
        }
        return ids.stream().map(id -> named(id, role, field)).toList();
    }

    /** The expert an option names; it must exist, be enabled and have the role the option needs. */
    private Expert named(String id, Role role, String field) {
        Expert expert = registry.find(id).orElseThrow(() ->
                new InvalidProfilingRequestException(field, "no expert with id '" + id + "'"));
        if (!expert.enabled()) {
            throw new InvalidProfilingRequestException(field, "expert '" + id + "' is disabled");
        }
        if (!expert.hasRole(role)) {
            throw new InvalidProfilingRequestException(field, "expert '" + id + "' does not have the " + role + " role");
        }
        return expert;
    }

    private @Nullable ExpertClient judgeFor(ProfilingRequest request) {
        // A judge named but never needed is still checked: a typo must not wait for the first judge item.
        Expert named = request.judgeId() == null ? null : named(request.judgeId(), Role.JUDGE, "judge");
        boolean needsJudge = request.items().stream().anyMatch(item -> item.answerType() == AnswerType.JUDGE);
        if (!needsJudge) {
            return null;
        }
        Expert judge = named != null ? named : registry.enabled().stream()
                .filter(expert -> expert.hasRole(Role.JUDGE))
                .findFirst()
                .orElseThrow(() -> new InvalidProfilingRequestException("judge",
                        "judge items need an enabled expert with the judge role"));
        return registry.clientFor(judge);
    }
}
