package io.consilium.profiler.internal;

import io.consilium.aggregator.AggregatorCall;
import io.consilium.aggregator.CandidateAnswer;
import io.consilium.aggregator.Fuser;
import io.consilium.aggregator.FusionResult;
import io.consilium.profiler.Grade;
import io.consilium.profiler.Grader;
import io.consilium.profiler.ProfileService;
import io.consilium.profiler.ProfilingItem;
import io.consilium.profiler.ProfilingJobStatus;
import io.consilium.profiler.ProfilingJobStatus.State;
import io.consilium.profiler.ProfilingJobStore;
import io.consilium.profiler.ProfilingRequest;
import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillScore;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * One profiling job: every expert answers every item (concurrency-limited per expert), each answer is
 * graded into the expert's profile; then each aggregator fuses shuffled mixes of right and wrong
 * answers to sampled items and its syntheses are graded. Failed calls count as errors, never as wrong
 * answers. Progress is published to the job store at most a few times a second.
 */
public final class ProfilingRun implements Runnable {

    /** Most expert answers an aggregator is shown per item. */
    private static final int MAX_ANSWERS_PER_FUSION = 5;
    private static final long PUBLISH_INTERVAL_NANOS = 200_000_000L;
    private static final long SAMPLING_SEED = 17;

    private final String id;
    private final ProfilingRequest request;
    private final List<Expert> experts;
    private final List<Expert> aggregators;
    private final Function<Expert, ExpertClient> clients;
    private final Function<ProfilingItem, Grader> graders;
    private final ProfileService profiles;
    private final @Nullable QueryClassifier classifier;
    private final Fuser fuser;
    private final ProfilingJobStore store;
    private final Clock clock;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private final Map<String, List<Answer>> answers = new ConcurrentHashMap<>();
    private volatile State state = State.QUEUED;
    private volatile int total;
    private volatile @Nullable Instant startedAt;
    private volatile @Nullable Instant finishedAt;
    private volatile @Nullable String message;
    private volatile boolean cancelled;
    private volatile long lastPublished;

    /** One graded expert answer, kept for aggregator profiling. */
    private record Answer(String expertId, String text, boolean correct) {}

    public ProfilingRun(String id, ProfilingRequest request, List<Expert> experts, List<Expert> aggregators,
            Function<Expert, ExpertClient> clients, Function<ProfilingItem, Grader> graders, ProfileService profiles,
            @Nullable QueryClassifier classifier, Fuser fuser, ProfilingJobStore store, Clock clock) {
        this.id = id;
        this.request = request;
        this.experts = List.copyOf(experts);
        this.aggregators = List.copyOf(aggregators);
        this.clients = clients;
        this.graders = graders;
        this.profiles = profiles;
        this.classifier = classifier;
        this.fuser = fuser;
        this.store = store;
        this.clock = clock;
        this.total = request.items().size() * experts.size()
                + Math.min(request.aggregatorSamples(), request.items().size()) * aggregators.size();
        store.save(status());
    }

    public String id() {
        return id;
    }

    public ProfilingJobStatus status() {
        return new ProfilingJobStatus(id, state, done.get(), total, errors.get(),
                experts.stream().map(Expert::id).toList(), aggregators.stream().map(Expert::id).toList(),
                request.items().size(), startedAt, finishedAt, message);
    }

    /** Stops the job: calls in flight are interrupted, nothing new starts. */
    public void cancel() {
        cancelled = true;
        calls.shutdownNow();
    }

    @Override
    public void run() {
        state = State.RUNNING;
        startedAt = clock.instant();
        publish(true);
        try {
            if (request.reset()) {
                profiles.reset(Stream.concat(experts.stream(), aggregators.stream()).map(Expert::id).distinct().toList());
            }
            Map<String, Map<String, Double>> weights = skillWeights();
            answerItems(weights);
            fuseAnswers();
            state = cancelled ? State.CANCELLED : State.SUCCEEDED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state = State.CANCELLED;
        } catch (RuntimeException e) {
            state = cancelled ? State.CANCELLED : State.FAILED;
            message = e.getMessage();
        } finally {
            calls.shutdownNow();
            finishedAt = clock.instant();
            publish(true);
        }
    }

    /** Each item's skill weights: its given skills, shared equally, or the classifier's probabilities. */
    private Map<String, Map<String, Double>> skillWeights() {
        Map<String, Map<String, Double>> weights = new HashMap<>();
        for (ProfilingItem item : request.items()) {
            Map<String, Double> itemWeights = new LinkedHashMap<>();
            if (!item.skills().isEmpty()) {
                item.skills().forEach(skill -> itemWeights.put(skill, 1.0 / item.skills().size()));
            } else if (classifier != null) {
                for (SkillScore score : classifier.classify(item.question()).skills()) {
                    itemWeights.put(score.id(), score.score());
                }
            }
            weights.put(item.id(), itemWeights);
        }
        return weights;
    }

    private void answerItems(Map<String, Map<String, Double>> weights) throws InterruptedException {
        List<Future<?>> pending = new ArrayList<>();
        for (Expert expert : experts) {
            ExpertClient client = clients.apply(expert);
            Semaphore slots = new Semaphore(request.concurrency());
            for (ProfilingItem item : request.items()) {
                pending.add(submit(() -> {
                    slots.acquire();
                    try {
                        answer(expert, client, item, weights.get(item.id()));
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        awaitAll(pending);
    }

    private void answer(Expert expert, ExpertClient client, ProfilingItem item, Map<String, Double> weights) {
        try {
            String text = client.chat(new ChatRequest(itemRequest(expert, item))).text();
            Grade grade = graders.apply(item).grade(item, text);
            profiles.recordAnswer(expert.id(), weights, grade.correct());
            answers.computeIfAbsent(item.id(), key -> Collections.synchronizedList(new ArrayList<>()))
                    .add(new Answer(expert.id(), text, grade.correct()));
        } catch (RuntimeException e) {
            failed(expert);
        } finally {
            done.incrementAndGet();
            publish(false);
        }
    }

    /** Aggregators fuse items whose answers mix right and wrong, so that fusing takes judgement. */
    private void fuseAnswers() throws InterruptedException {
        if (aggregators.isEmpty() || cancelled) {
            return;
        }
        List<ProfilingItem> mixed = new ArrayList<>(request.items().stream()
                .filter(item -> isMixed(answers.getOrDefault(item.id(), List.of())))
                .sorted(Comparator.comparing(ProfilingItem::id))
                .toList());
        Collections.shuffle(mixed, new Random(SAMPLING_SEED));
        List<ProfilingItem> sampled = mixed.subList(0, Math.min(request.aggregatorSamples(), mixed.size()));
        total = request.items().size() * experts.size() + sampled.size() * aggregators.size();
        if (sampled.isEmpty()) {
            message = "no item had both right and wrong expert answers, so aggregators were not scored";
            return;
        }
        List<Future<?>> pending = new ArrayList<>();
        for (Expert aggregator : aggregators) {
            ExpertClient client = clients.apply(aggregator);
            Semaphore slots = new Semaphore(request.concurrency());
            for (ProfilingItem item : sampled) {
                List<CandidateAnswer> shown = shownAnswers(item);
                pending.add(submit(() -> {
                    slots.acquire();
                    try {
                        fuse(aggregator, client, item, shown);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        awaitAll(pending);
    }

    /**
     * Scores one synthesis. The aggregator is asked even when the shown answers happen to agree, and a
     * failed call counts as an error: the vote the fuser falls back to is not the aggregator's work.
     */
    private void fuse(Expert aggregator, ExpertClient client, ProfilingItem item, List<CandidateAnswer> shown) {
        try {
            ChatRequest question = new ChatRequest(itemRequest(aggregator, item));
            FusionResult fused = fuser.synthesize(fuser.synthesis(question, shown, aggregator), client);
            AggregatorCall call = fused.aggregator();
            if (call == null || !call.answered()) {
                failed(aggregator);
                return;
            }
            profiles.recordFusion(aggregator.id(), graders.apply(item).grade(item, fused.requireText()).correct());
        } catch (RuntimeException e) {
            failed(aggregator);
        } finally {
            done.incrementAndGet();
            publish(false);
        }
    }

    /** Counts a call that failed against its expert, unless it failed because the job was cancelled. */
    private void failed(Expert expert) {
        if (cancelled) {
            return;
        }
        profiles.recordError(expert.id());
        errors.incrementAndGet();
    }

    /**
     * A seeded shuffle of the item's answers, cut to a few while keeping at least one right and one wrong;
     * all weigh the same.
     */
    private List<CandidateAnswer> shownAnswers(ProfilingItem item) {
        List<Answer> all = new ArrayList<>(answers.get(item.id()));
        all.sort(Comparator.comparing(Answer::expertId));
        Collections.shuffle(all, new Random(SAMPLING_SEED ^ item.id().hashCode()));
        List<Answer> shown = new ArrayList<>(all.subList(0, Math.min(MAX_ANSWERS_PER_FUSION, all.size())));
        if (!isMixed(shown)) {
            boolean missingCorrect = shown.stream().noneMatch(Answer::correct);
            all.stream().filter(answer -> answer.correct() == missingCorrect).findFirst()
                    .ifPresent(answer -> shown.set(shown.size() - 1, answer));
        }
        return shown.stream().map(answer -> new CandidateAnswer(answer.expertId(), answer.text(), 1.0)).toList();
    }

    private static boolean isMixed(List<Answer> answers) {
        return answers.stream().anyMatch(Answer::correct) && answers.stream().anyMatch(answer -> !answer.correct());
    }

    private static ObjectNode itemRequest(Expert expert, ProfilingItem item) {
        ObjectNode body = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        body.put("model", expert.id());
        body.set("messages", item.messages().deepCopy());
        return body;
    }

    /** A task body that may block on a semaphore. */
    @FunctionalInterface
    private interface Task {
        void run() throws InterruptedException;
    }

    private Future<?> submit(Task task) {
        return calls.submit(() -> {
            if (cancelled) {
                return null;
            }
            task.run();
            return null;
        });
    }

    private void awaitAll(List<Future<?>> pending) throws InterruptedException {
        for (Future<?> future : pending) {
            try {
                future.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("profiling task failed: " + e.getCause().getMessage(), e.getCause());
            } catch (java.util.concurrent.CancellationException e) {
                // cancelled with the job
            }
        }
    }

    private void publish(boolean force) {
        long now = System.nanoTime();
        if (force || now - lastPublished > PUBLISH_INTERVAL_NANOS) {
            lastPublished = now;
            store.save(status());
        }
    }
}
