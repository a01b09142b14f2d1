package io.consilium.router.batchapi;

import io.consilium.aggregator.AggregatorCall;
import io.consilium.aggregator.Fuser;
import io.consilium.aggregator.FusionMode;
import io.consilium.aggregator.FusionResult;
import io.consilium.aggregator.NoAnswerException;
import io.consilium.aggregator.NoValidAnswerException;
import io.consilium.aggregator.PendingSynthesis;
import io.consilium.profiler.SkillVector;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Modality;
import io.consilium.registry.Usage;
import io.consilium.router.api.ApiException;
import io.consilium.router.api.ExpertFailures;
import io.consilium.router.api.RoutingFailures;
import io.consilium.router.chat.ChatAnswers;
import io.consilium.router.chat.ChatRequestValidator;
import io.consilium.router.chat.ExpertRound;
import io.consilium.router.chat.FusedAnswer;
import io.consilium.router.chat.TokenCeiling;
import io.consilium.router.embeddings.Embedder;
import io.consilium.router.routing.ExpertOutcome;
import io.consilium.router.routing.Plan;
import io.consilium.router.routing.PlannedExpert;
import io.consilium.router.routing.Reserves;
import io.consilium.router.routing.Router;
import io.consilium.router.routing.RoutingException;
import io.consilium.router.routing.RoutingOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs lines of a batch the way the design asks: plan every line first (a direct expert line is a group of
 * one, a virtual model line is classified and planned by the {@link Router}), then run the work grouped by
 * expert, replace experts that failed with the plan's reserves (again grouped), let the {@link Fuser} decide
 * each line's fusion, and run the syntheses it leaves pending grouped by aggregator. Each line's outcome goes
 * to the sink as soon as it is known.
 */
final class BatchEngine {

    /** Queries embedded in one classifier run: enough to use the batch, small enough for little padding. */
    private static final int CLASSIFY_CHUNK = 32;

    private final Router router;
    private final ExpertRegistry registry;
    private final ChatAnswers answers;
    private final Fuser fuser;
    private final ChatRequestValidator validator;
    private final ExpertGroups groups;
    private final EmbeddingLines embeddingLines;
    private final Duration circuitRetryAfter;
    private final int planners;

    /**
     * @param planners lines classified and planned at once
     */
    BatchEngine(Router router, ExpertRegistry registry, ChatAnswers answers, Fuser fuser, ChatRequestValidator validator,
            ExpertGroups groups, Embedder embedder, Duration circuitRetryAfter, int planners) {
        this.router = router;
        this.registry = registry;
        this.answers = answers;
        this.fuser = fuser;
        this.validator = validator;
        this.groups = groups;
        this.embeddingLines = new EmbeddingLines(embedder, circuitRetryAfter, planners);
        this.circuitRetryAfter = circuitRetryAfter;
        this.planners = planners;
    }

    /** Where each line's outcome goes, from any thread. */
    interface Sink {

        void answered(BatchLine line, ObjectNode completion);

        void failed(BatchLine line, ApiException failure);

        /** A phase ended: a moment to show the stats so far. */
        void progress();
    }

    void run(BatchRecord batch, List<BatchLine> lines, RunControl control, Sink sink, StatsCounter stats) {
        new Run(batch, control, sink, stats).run(lines);
    }

    /** One execution: the work planned for each line, the rounds of calls, the syntheses. */
    private final class Run {

        private final BatchRecord batch;
        private final RunControl control;
        private final Sink sink;
        private final StatsCounter stats;
        private final List<Work> works = new ArrayList<>();

        Run(BatchRecord batch, RunControl control, Sink sink, StatsCounter stats) {
            this.batch = batch;
            this.control = control;
            this.sink = sink;
            this.stats = stats;
        }

        void run(List<BatchLine> all) {
            List<BatchLine> embeddings = all.stream().filter(BatchLine::isEmbeddings).toList();
            if (!embeddings.isEmpty()) {
                embeddingLines.run(batch, embeddings, control, sink, stats);
                sink.progress();
            }
            List<BatchLine> lines = all.stream().filter(line -> !line.isEmbeddings()).toList();
            if (lines.isEmpty() || control.stopped()) {
                return;
            }
            plan(lines);
            if (control.stopped()) {
                return;
            }
            List<Ask> round = new ArrayList<>();
            for (int i = 0; i < works.size(); i++) {
                Work work = works.get(i);
                for (PlannedExpert planned : work.experts()) {
                    round.add(new Ask(planned, work.request(), i));
                    stats.grouped(planned.expert().id(), 1);
                }
            }
            sink.progress();
            while (!round.isEmpty() && !control.stopped()) {
                groups.run(round, control, this::expertDone);
                round = replacements(round);
            }
            if (control.stopped()) {
                return;
            }
            sink.progress();
            synthesize(fuseAll());
            sink.progress();
        }

        /**
         * Classifies the virtual-model lines in batches, then plans every line, a few at a time; a line that
         * cannot be planned fails at once.
         */
        private void plan(List<BatchLine> lines) {
            Map<Integer, SkillVector> skills = classifyVirtualLines(lines);
            @Nullable Work[] planned = new Work[lines.size()];
            ExecutorService pool = control.executor();
            Semaphore slots = new Semaphore(planners);
            List<Future<?>> running = new ArrayList<>();
            try {
                for (int i = 0; i < lines.size(); i++) {
                    int index = i;
                    running.add(pool.submit(() -> {
                        slots.acquire();
                        try {
                            planned[index] = prepare(lines.get(index), skills.get(index));
                        } finally {
                            slots.release();
                        }
                        return null;
                    }));
                }
            } catch (RejectedExecutionException stopped) {
                // stopped while planning
            }
            control.awaitAll(running);
            control.done(pool);
            for (Work work : planned) {
                if (work != null) {
                    works.add(work);
                }
            }
        }

        /** One classifier run per {@value BatchEngine#CLASSIFY_CHUNK} lines that ask a virtual model; invalid ones are left out. */
        private Map<Integer, SkillVector> classifyVirtualLines(List<BatchLine> lines) {
            Map<Integer, ChatRequest> requests = new LinkedHashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                if (Router.isVirtual(lines.get(i).model())) {
                    try {
                        ChatRequest request = validator.validate(lines.get(i).body().deepCopy());
                        validator.checkVirtualModel(request);
                        requests.put(i, request);
                    } catch (ApiException invalid) {
                        // reported when the line is prepared
                    }
                }
            }
            Map<Integer, SkillVector> skills = new HashMap<>();
            List<Integer> indexes = new ArrayList<>(requests.keySet());
            for (int from = 0; from < indexes.size(); from += CLASSIFY_CHUNK) {
                List<Integer> chunk = indexes.subList(from, Math.min(indexes.size(), from + CLASSIFY_CHUNK));
                List<SkillVector> vectors = router.classifyAll(chunk.stream().map(requests::get).toList());
                for (int i = 0; i < chunk.size(); i++) {
                    skills.put(chunk.get(i), vectors.get(i));
                }
            }
            return skills;
        }

        private @Nullable Work prepare(BatchLine line, @Nullable SkillVector skills) {
            try {
                ChatRequest request = validator.validate(line.body().deepCopy());
                if (batch.deniedLines().contains(line.index())) {
                    throw new ApiException(HttpStatus.FORBIDDEN, "permission_error", "model_not_allowed", "model",
                            "This API key may not use the model '" + line.model() + "'.", null);
                }
                TokenCeiling.apply(request, batch.maxTokens());
                RoutingOptions options = router.check(RoutingOptions.parse(request.body().path("consilium")));
                if (Router.isVirtual(line.model())) {
                    validator.checkVirtualModel(request);
                    return new Work(line, request, skills != null ? router.plan(request, line.model(), options, skills)
                            : router.plan(request, line.model(), options), null);
                }
                Expert expert = registry.find(line.model()).filter(Expert::enabled)
                        .orElseThrow(() -> ApiException.modelNotFound(line.model()));
                if (request.hasImageInput() && !expert.accepts(Modality.IMAGE)) {
                    throw ApiException.invalidRequest("messages", "The expert '" + expert.id()
                            + "' does not accept image input; choose an expert with the image modality.");
                }
                return new Work(line, request, null, expert);
            } catch (ApiException e) {
                sink.failed(line, e);
                return null;
            } catch (RoutingException e) {
                sink.failed(line, RoutingFailures.toApiException(e));
                return null;
            }
        }

        /** A direct line is done with its one call; a virtual line waits for the end of its rounds. */
        private void expertDone(Ask ask) {
            stats.called(ask.expert().id(), ask.isAnswered());
            Work work = works.get(ask.owner());
            if (work.plan() != null) {
                return;
            }
            ChatCompletion completion = ask.completion();
            if (completion != null) {
                sink.answered(work.line(), answers.direct(ask.expert(), work.request(), completion, ask.latencyMs(), 0));
            } else {
                sink.failed(work.line(), toApiException(ask));
            }
        }

        /** What is left of the batch's completion window: the only deadline its lines have. */
        private Duration untilExpiry() {
            return Duration.ofSeconds(Math.max(0, batch.times().expiresAt() - Instant.now().getEpochSecond()));
        }

        /** Records a round's outcomes and replaces each expert that failed by the line's next reserve. */
        private List<Ask> replacements(List<Ask> round) {
            List<Ask> next = new ArrayList<>();
            for (Ask ask : round) {
                Work work = works.get(ask.owner());
                if (work.plan() == null || !ask.ran()) {
                    continue;
                }
                ExpertOutcome outcome = ask.toOutcome();
                work.outcomes().add(outcome);
                PlannedExpert reserve = work.reserves().replacing(outcome, untilExpiry());
                if (reserve != null) {
                    next.add(new Ask(reserve, work.request(), ask.owner()));
                }
            }
            return next;
        }

        /**
         * Decides the fusion of each virtual line now; a line whose answer is the aggregator's to write is
         * returned, to be synthesized with the others of its aggregator.
         */
        private List<Synthesis> fuseAll() {
            List<Synthesis> syntheses = new ArrayList<>();
            for (Work work : works) {
                Plan plan = work.plan();
                if (plan == null) {
                    continue;
                }
                long expertMillis = work.outcomes().stream().mapToLong(ExpertOutcome::latencyMs).max().orElse(0);
                ExpertRound round = new ExpertRound(plan, work.outcomes(), expertMillis);
                if (Router.ROUTE.equals(work.line().model())) {
                    relay(work, round);
                    continue;
                }
                try {
                    switch (fuser.decide(round.fusionInput(work.request()))) {
                        case FusionResult decided -> sink.answered(work.line(),
                                answers.completion(work.line().model(), round.fused(decided, null), decided,
                                        Usage.NONE, 0));
                        case PendingSynthesis pending -> syntheses.add(new Synthesis(work, round, pending));
                    }
                } catch (NoAnswerException e) {
                    sink.failed(work.line(), ExpertFailures.toApiException(e));
                } catch (NoValidAnswerException e) {
                    sink.failed(work.line(), ExpertFailures.toApiException(e));
                }
            }
            return syntheses;
        }

        /** A {@code consilium/route} line: the one expert's answer, relayed whole as on the chat endpoint. */
        private void relay(Work work, ExpertRound round) {
            try {
                ExpertOutcome answered = round.firstAnswer();
                FusedAnswer fused = new FusedAnswer(round, FusionMode.NONE, false, null);
                sink.answered(work.line(), answers.relayed(Router.ROUTE, fused, answered.completion(), 0));
            } catch (NoAnswerException e) {
                sink.failed(work.line(), ExpertFailures.toApiException(e));
            }
        }

        private void synthesize(List<Synthesis> syntheses) {
            List<Ask> asks = new ArrayList<>();
            for (int i = 0; i < syntheses.size(); i++) {
                PendingSynthesis pending = syntheses.get(i).pending();
                Expert aggregator = pending.aggregator();
                asks.add(new Ask(new PlannedExpert(aggregator, 1.0, List.of()), pending.request(), i));
                stats.aggregatorGrouped(aggregator.id(), 1);
            }
            if (asks.isEmpty()) {
                return;
            }
            groups.run(asks, control, ask -> synthesized(syntheses.get(ask.owner()), ask));
        }

        /** The aggregator's answer, or, as the fuser decides when it failed, the weighted vote. */
        private void synthesized(Synthesis synthesis, Ask ask) {
            stats.called(ask.expert().id(), ask.isAnswered());
            ChatCompletion completion = ask.completion();
            Duration latency = Duration.ofMillis(ask.latencyMs());
            FusionResult result;
            try {
                result = completion != null
                        ? fuser.synthesized(synthesis.pending(), completion, latency)
                        : fuser.aggregatorFailed(synthesis.pending(), failureOf(ask), latency);
            } catch (NoValidAnswerException e) {
                sink.failed(synthesis.work().line(), ExpertFailures.toApiException(e));
                return;
            }
            AggregatorCall call = result.aggregator();
            Usage aggregatorUsage = call != null ? call.usage() : Usage.NONE;
            sink.answered(synthesis.work().line(), answers.completion(synthesis.work().line().model(),
                    synthesis.round().fused(result, ask.outcome()), result, aggregatorUsage, 0));
        }

        private ApiException toApiException(Ask ask) {
            RuntimeException failure = ask.failure();
            if (failure instanceof ExpertException expert) {
                return ExpertFailures.toApiException(expert, circuitRetryAfter);
            }
            if (failure instanceof ApiException api) {
                return api;
            }
            return new ApiException(HttpStatus.BAD_GATEWAY, "upstream_error", "upstream_error", null,
                    "The expert '" + ask.expert().id() + "' could not be called.", null);
        }
    }

    /**
     * What one line needs: a plan (virtual model) or one expert (direct), and, for a plan, the reserves left
     * and every call made so far.
     */
    private record Work(BatchLine line, ChatRequest request, @Nullable Plan plan, @Nullable Expert expert,
            Reserves reserves, List<ExpertOutcome> outcomes) {

        Work(BatchLine line, ChatRequest request, @Nullable Plan plan, @Nullable Expert expert) {
            this(line, request, plan, expert, new Reserves(plan == null ? List.of() : plan.reserves()), new ArrayList<>());
        }

        List<PlannedExpert> experts() {
            return plan != null ? plan.experts() : List.of(new PlannedExpert(expert, 1.0, List.of()));
        }
    }

    /** A line whose fusion is the aggregator's to write. */
    private record Synthesis(Work work, ExpertRound round, PendingSynthesis pending) {}

    /** Why an aggregator call that ran brought no answer. */
    private static RuntimeException failureOf(Ask ask) {
        RuntimeException failure = ask.failure();
        return failure != null ? failure : new IllegalStateException("the aggregator call did not run");
    }
}
