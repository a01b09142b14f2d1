package io.consilium.router.chat;

import io.consilium.aggregator.CandidateAnswer;
import io.consilium.aggregator.Fusion;
import io.consilium.aggregator.SynthesisPrompt;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Usage;
import io.consilium.router.api.ApiException;
import io.consilium.router.api.ExpertFailures;
import io.consilium.router.auth.TokenMeter;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.feedback.CompletionLog;
import io.consilium.router.routing.Deadline;
import io.consilium.router.routing.ExpertOutcome;
import io.consilium.router.routing.FusionMode;
import io.consilium.router.routing.Plan;
import io.consilium.router.routing.PlanExecutor;
import io.consilium.router.routing.Router;
import io.consilium.router.routing.RoutingOptions;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers {@code consilium/auto} and {@code consilium/route}: plan, ask the experts in parallel, then
 * fuse (consensus short-circuit, vote, best, or an aggregator's synthesis, which is streamed as it is
 * written).
 */
@Component
final class VirtualModelChat {

    private final Router router;
    private final PlanExecutor executor;
    private final ExpertRegistry registry;
    private final SynthesisPrompt synthesis;
    private final CompletionLog completions;
    private final ExpertCallMetrics metrics;
    private final JsonMapper json;
    private final ConsiliumProperties properties;

    VirtualModelChat(Router router, PlanExecutor executor, ExpertRegistry registry, SynthesisPrompt synthesis,
            CompletionLog completions, ExpertCallMetrics metrics, JsonMapper json, ConsiliumProperties properties) {
        this.router = router;
        this.executor = executor;
        this.registry = registry;
        this.synthesis = synthesis;
        this.completions = completions;
        this.metrics = metrics;
        this.json = json;
        this.properties = properties;
    }

    /** Plans, runs the experts and decides the fusion; a 502 when no expert answered. */
    FusedAnswer gather(ChatRequest request, String model, Deadline deadline) {
        RoutingOptions options = RoutingOptions.parse(request.body().path("consilium"));
        Plan plan = router.plan(request, model, options);
        long started = System.nanoTime();
        List<ExpertOutcome> outcomes = executor.answer(plan, request, deadline);
        long expertMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        List<ExpertOutcome> answered = outcomes.stream().filter(ExpertOutcome::answered).toList();
        if (answered.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "upstream_error", "no_expert_answered", null,
                    "No expert answered: " + outcomes.stream().map(o -> o.expertId() + " (" + o.outcome() + ")")
                            .collect(Collectors.joining(", ")) + ".", null);
        }
        List<CandidateAnswer> candidates = candidates(answered);
        if (candidates.size() == 1) {
            FusionMode applied = plan.fusion() == FusionMode.NONE ? FusionMode.NONE : FusionMode.BEST;
            return new FusedAnswer(plan, outcomes, candidates.getFirst().text(), applied, false, null, expertMillis);
        }
        Optional<CandidateAnswer> consensus = Fusion.consensus(candidates);
        if (consensus.isPresent()) {
            return new FusedAnswer(plan, outcomes, consensus.get().text(), plan.fusion(), true, null, expertMillis);
        }
        return switch (plan.fusion()) {
            case VOTE -> new FusedAnswer(plan, outcomes, Fusion.vote(candidates).text(), FusionMode.VOTE, false, null, expertMillis);
            case BEST, NONE -> new FusedAnswer(plan, outcomes, Fusion.best(candidates).text(), FusionMode.BEST, false, null,
                    expertMillis);
            case SYNTHESIZE -> new FusedAnswer(plan, outcomes, null, FusionMode.SYNTHESIZE, false, null, expertMillis);
        };
    }

    Answer complete(ChatRequest request, String model, long startedNanos) {
        Deadline deadline = Deadline.in(properties.routing().deadline());
        FusedAnswer fused = gather(request, model, deadline);
        String text = fused.text();
        Usage aggregatorUsage = Usage.NONE;
        long aggregatorMillis = 0;
        if (text == null) {
            long started = System.nanoTime();
            Expert aggregator = fused.plan().aggregator();
            String outcome;
            try {
                ChatCompletion synthesized = registry.clientFor(aggregator)
                        .chat(new ChatRequest(synthesisRequest(request, fused, aggregator, false)));
                text = synthesized.text();
                aggregatorUsage = synthesized.usage();
                outcome = ExpertCallMetrics.OK;
                fused = withFusion(fused, FusionMode.SYNTHESIZE, outcome);
            } catch (ExpertException e) {
                // Fusion falls back to the weighted vote over what arrived.
                outcome = ExpertCallMetrics.outcomeOf(e);
                text = Fusion.vote(candidates(fused)).text();
                fused = withFusion(fused, FusionMode.VOTE, outcome);
            }
            aggregatorMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            metrics.record(aggregator.id(), false, outcome, Duration.ofMillis(aggregatorMillis));
        }
        String id = CompletionLog.newId();
        long overheadMs = overhead(startedNanos, fused.expertMillis() + aggregatorMillis);
        ObjectNode body = json.createObjectNode();
        body.put("id", id);
        body.put("object", "chat.completion");
        body.put("created", Instant.now().getEpochSecond());
        body.put("model", model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text);
        choice.put("finish_reason", "stop");
        Usage total = sum(fused.expertUsage(), aggregatorUsage);
        TokenMeter.add(total.totalTokens());
        putUsage(body, total);
        body.set("consilium", VirtualModelMetadata.of(fused, aggregatorUsage, overheadMs));
        remember(id, fused);
        return new Answer(body, headerExperts(fused), overheadMs);
    }

    /** Streams the answer: the aggregator's synthesis chunk by chunk, or the fused answer at once. */
    void stream(ChatRequest request, String model, HttpServletResponse response, long startedNanos) throws IOException {
        Deadline deadline = Deadline.in(properties.routing().deadline());
        FusedAnswer fused = gather(request, model, deadline);
        TokenMeter.add(fused.expertUsage().totalTokens());
        String id = CompletionLog.newId();
        long created = Instant.now().getEpochSecond();
        ChatStream synthesisStream = null;
        long aggregatorStarted = System.nanoTime();
        if (fused.text() == null) {
            Expert aggregator = fused.plan().aggregator();
            try {
                synthesisStream = registry.clientFor(aggregator).stream(
                        new ChatRequest(synthesisRequest(request, fused, aggregator, true)));
            } catch (ExpertException e) {
                String outcome = ExpertCallMetrics.outcomeOf(e);
                metrics.record(aggregator.id(), true, outcome, Duration.ofNanos(System.nanoTime() - aggregatorStarted));
                fused = new FusedAnswer(fused.plan(), fused.outcomes(), Fusion.vote(candidates(fused)).text(),
                        FusionMode.VOTE, false, outcome, fused.expertMillis());
            }
        }
        long overheadBeforeFirstByte = overhead(startedNanos, fused.expertMillis()
                + Duration.ofNanos(System.nanoTime() - aggregatorStarted).toMillis());
        SseResponse events = SseResponse.open(response, json, DirectExpertChat.EXPERTS_HEADER, headerExperts(fused),
                DirectExpertChat.OVERHEAD_HEADER, Long.toString(overheadBeforeFirstByte));
        ChunkWriter chunks = new ChunkWriter(events, json, id, created, model);
        Usage aggregatorUsage = Usage.NONE;
        // Closing the synthesis stream on every way out (a client that left included) frees the aggregator.
        try (ChatStream opened = synthesisStream) {
            chunks.role();
            if (opened != null) {
                try {
                    aggregatorUsage = new SynthesisRelay(opened, chunks).run();
                    TokenMeter.add(aggregatorUsage.totalTokens());
                } catch (ExpertException e) {
                    String outcome = ExpertCallMetrics.outcomeOf(e);
                    metrics.record(fused.plan().aggregator().id(), true, outcome,
                            Duration.ofNanos(System.nanoTime() - aggregatorStarted));
                    events.send(ExpertFailures.toApiException(e, properties.resilience().openStateWait()).toError());
                    return;
                }
                metrics.record(fused.plan().aggregator().id(), true, ExpertCallMetrics.OK,
                        Duration.ofNanos(System.nanoTime() - aggregatorStarted));
                fused = withFusion(fused, FusionMode.SYNTHESIZE, ExpertCallMetrics.OK);
            } else {
                chunks.content(fused.text());
            }
            chunks.finish();
            ObjectNode last = chunks.metadataChunk(sum(fused.expertUsage(), aggregatorUsage),
                    VirtualModelMetadata.of(fused, aggregatorUsage, overheadBeforeFirstByte));
            events.send(last);
            events.done();
            remember(id, fused);
        } catch (IOException clientGone) {
            // The client left; the aggregator stream is already closed, so its work stops too.
        }
    }

    private ObjectNode synthesisRequest(ChatRequest request, FusedAnswer fused, Expert aggregator, boolean stream) {
        ObjectNode body = synthesis.request(request.body().path("messages"),
                fused.answered().stream().map(outcome -> outcome.completion().text()).toList());
        body.put("model", aggregator.id());
        copyIfPresent(request.body(), body, "temperature", "max_tokens", "max_completion_tokens");
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private static void copyIfPresent(ObjectNode from, ObjectNode to, String... fields) {
        for (String field : fields) {
            if (from.has(field)) {
                to.set(field, from.get(field).deepCopy());
            }
        }
    }

    private static List<CandidateAnswer> candidates(FusedAnswer fused) {
        return candidates(fused.answered());
    }

    /** Each answer weighted by its expert's routing score. */
    private static List<CandidateAnswer> candidates(List<ExpertOutcome> answered) {
        return answered.stream()
                .map(outcome -> new CandidateAnswer(outcome.expertId(), outcome.completion().text(), outcome.planned().score()))
                .toList();
    }

    private static FusedAnswer withFusion(FusedAnswer fused, FusionMode mode, @Nullable String aggregatorOutcome) {
        return new FusedAnswer(fused.plan(), fused.outcomes(), fused.text(), mode, fused.consensus(), aggregatorOutcome,
                fused.expertMillis());
    }

    private void remember(String id, FusedAnswer fused) {
        List<String> experts = Stream.concat(fused.answered().stream().map(ExpertOutcome::expertId),
                ExpertCallMetrics.OK.equals(fused.aggregatorOutcome()) ? Stream.of(fused.plan().aggregator().id()) : Stream.empty())
                .distinct().toList();
        completions.remember(id, experts, fused.plan().skills().skills());
    }

    private static String headerExperts(FusedAnswer fused) {
        return fused.answered().stream().map(ExpertOutcome::expertId).collect(Collectors.joining(","));
    }

    private static long overhead(long startedNanos, long waitedMillis) {
        return Math.max(0, Duration.ofNanos(System.nanoTime() - startedNanos).toMillis() - waitedMillis);
    }

    private static Usage sum(Usage a, Usage b) {
        return new Usage(a.promptTokens() + b.promptTokens(), a.completionTokens() + b.completionTokens());
    }

    static void putUsage(ObjectNode target, Usage usage) {
        target.putObject("usage")
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.promptTokens() + usage.completionTokens());
    }

    /** A complete answer, the experts that answered (for the header), and the service's own time. */
    record Answer(ObjectNode body, String experts, long overheadMs) {}
}
