package io.consilium.router.chat;

import io.consilium.aggregator.AggregatorCall;
import io.consilium.aggregator.Fuser;
import io.consilium.aggregator.FusionResult;
import io.consilium.profiler.SkillVector;
import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.ExpertException;
import io.consilium.registry.Usage;
import io.consilium.router.api.ExpertFailures;
import io.consilium.router.auth.TokenMeter;
import io.consilium.router.calls.ExpertCalls;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.feedback.CompletionLog;
import io.consilium.router.routing.Deadline;
import io.consilium.router.routing.ExpertOutcome;
import io.consilium.router.routing.Plan;
import io.consilium.router.routing.PlanExecutor;
import io.consilium.router.routing.Router;
import io.consilium.router.routing.RoutingConfig;
import io.consilium.router.routing.RoutingOptions;
import io.consilium.router.tracing.PipelineTracing;
import io.micrometer.observation.Observation;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers {@code consilium/auto} and {@code consilium/route}: plan, ask the experts in parallel, then let
 * the {@link Fuser} make one answer (an aggregator's synthesis is streamed as it is written). The aggregator
 * is called through {@link ExpertCalls}, like every expert, so a local aggregator is batched too.
 */
@Component
final class VirtualModelChat {

    private final Router router;
    private final PlanExecutor executor;
    private final ExpertCalls calls;
    private final Fuser fuser;
    private final ChatAnswers answers;
    private final JsonMapper json;
    private final RoutingConfig routing;
    private final ConsiliumProperties properties;
    private final PipelineTracing tracing;

    VirtualModelChat(Router router, PlanExecutor executor, ExpertCalls calls, Fuser fuser, ChatAnswers answers,
            JsonMapper json, RoutingConfig routing, ConsiliumProperties properties, PipelineTracing tracing) {
        this.tracing = tracing;
        this.router = router;
        this.executor = executor;
        this.calls = calls;
        this.fuser = fuser;
        this.answers = answers;
        this.json = json;
        this.routing = routing;
        this.properties = properties;
    }

    /** Plans (with the skills found already, when the answer cache classified the request) and runs the experts. */
    private ExpertRound gather(ChatRequest request, String model, RoutingOptions options, @Nullable SkillVector skills,
            Deadline deadline) {
        Plan plan = skills == null ? router.plan(request, model, options) : router.plan(request, model, options, skills);
        long started = System.nanoTime();
        List<ExpertOutcome> outcomes = executor.answer(plan, request, deadline);
        return new ExpertRound(plan, outcomes, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /**
     * The fused answer, whole.
     *
     * @throws io.consilium.aggregator.NoAnswerException when no expert answered
     */
    Answer complete(ChatRequest request, String model, RoutingOptions options, @Nullable SkillVector skills,
            long startedNanos) {
        Deadline deadline = Deadline.in(routing.deadline());
        ExpertRound round = gather(request, model, options, skills, deadline);
        FusionResult result = tracing.observe(PipelineTracing.FUSION,
                () -> fuser.fuse(round.fusionInput(request), calls::clientFor), VirtualModelChat::describe);
        AggregatorCall call = result.aggregator();
        Usage aggregatorUsage = Usage.NONE;
        long aggregatorMillis = 0;
        CallOutcome aggregatorOutcome = null;
        if (call != null) {
            aggregatorUsage = call.usage();
            aggregatorMillis = call.latency().toMillis();
            aggregatorOutcome = outcomeOf(call);
        }
        FusedAnswer fused = round.fused(result, aggregatorOutcome);
        long overheadMs = overhead(startedNanos, fused.expertMillis() + aggregatorMillis);
        ObjectNode body = answers.completion(model, fused, result, aggregatorUsage, overheadMs);
        ExpertAnswers.attachIfAsked(options.includeAnswers(), (ObjectNode) body.get("consilium"), fused);
        return new Answer(body, headerExperts(fused), overheadMs);
    }

    /**
     * Streams the answer: the aggregator's synthesis chunk by chunk, or the fused answer at once.
     *
     * @throws io.consilium.aggregator.NoAnswerException when no expert answered (nothing has been sent yet)
     */
    void stream(ChatRequest request, String model, RoutingOptions options, @Nullable SkillVector skills,
            ChatEvents.Opener opener, long startedNanos) throws IOException {
        Deadline deadline = Deadline.in(routing.deadline());
        ExpertRound round = gather(request, model, options, skills, deadline);
        FusionResult result = tracing.observe(PipelineTracing.FUSION,
                () -> fuser.fuseStreaming(round.fusionInput(request), calls::clientFor), VirtualModelChat::describe);
        round.meter();
        String id = CompletionLog.newId();
        long created = Instant.now().getEpochSecond();
        AggregatorCall call = result.aggregator();
        FusedAnswer fused = round.fused(result, null);
        Duration aggregatorWait = Duration.ZERO;
        if (call != null) {
            aggregatorWait = call.latency();
            if (!call.answered()) {
                // The stream could not be opened; the result is the vote, sent at once.
                fused = round.fused(result, outcomeOf(call));
            }
        }
        long overheadBeforeFirstByte = overhead(startedNanos, fused.expertMillis() + aggregatorWait.toMillis());
        // Closing the synthesis stream on every way out (a client that left included) frees the aggregator.
        try (ChatStream opened = result.stream()) {
            ChatEvents events = opener.open(DirectExpertChat.EXPERTS_HEADER, headerExperts(fused),
                    DirectExpertChat.OVERHEAD_HEADER, Long.toString(overheadBeforeFirstByte));
            ChunkWriter chunks = new ChunkWriter(events, json, id, created, model);
            Usage aggregatorUsage = Usage.NONE;
            long aggregatorMillis = call == null ? 0 : call.latency().toMillis();
            try {
                chunks.role();
                if (opened != null && call != null) {
                    try {
                        long relayStarted = System.nanoTime();
                        aggregatorUsage = new SynthesisRelay(opened, chunks).run();
                        aggregatorMillis += Duration.ofNanos(System.nanoTime() - relayStarted).toMillis();
                        TokenMeter.add(call.aggregator(), aggregatorUsage);
                    } catch (ExpertException e) {
                        events.error(ExpertFailures.toApiException(e, properties.resilience().openStateWait()));
                        return;
                    }
                    fused = round.fused(result, CallOutcome.OK);
                } else {
                    if (call != null) {
                        // A whole synthesis: with tools or JSON mode the answer is checked before anything is sent.
                        aggregatorUsage = call.usage();
                        TokenMeter.add(call.aggregator(), aggregatorUsage);
                        if (call.answered()) {
                            fused = round.fused(result, CallOutcome.OK);
                        }
                    }
                    if (!result.requireText().isEmpty() || !result.hasToolCalls()) {
                        chunks.content(result.requireText());
                    }
                    if (result.hasToolCalls()) {
                        chunks.toolCalls(result.toolCalls());
                        answers.rememberToolCalls(result);
                    }
                }
                ObjectNode metadata = VirtualModelMetadata.of(fused, aggregatorUsage, aggregatorMillis, overheadBeforeFirstByte);
                ExpertAnswers.attachIfAsked(options.includeAnswers(), metadata, fused);
                answers.remember(id, fused);
                chunks.finish(metadata, ChatAnswers.sum(fused.expertUsage(), aggregatorUsage), request.asksForStreamUsage(),
                        result.hasToolCalls() ? "tool_calls" : "stop");
                events.done();
            } catch (IOException clientGone) {
                // The client left; the aggregator stream is closed on the way out, so its work stops too.
            }
        }
    }

    /** What fusion decided, for its span: a streamed synthesis is opened within it and relayed after. */
    private static void describe(Observation observation, FusionResult result) {
        observation.highCardinalityKeyValue(PipelineTracing.FUSION_MODE, result.mode().id())
                .highCardinalityKeyValue(PipelineTracing.CONSENSUS, Boolean.toString(result.consensus()));
    }

    private static CallOutcome outcomeOf(AggregatorCall call) {
        RuntimeException failure = call.failure();
        return failure == null ? CallOutcome.OK : CallOutcome.of(failure);
    }

    private static String headerExperts(FusedAnswer fused) {
        return fused.answered().stream().map(ExpertOutcome::expertId).collect(Collectors.joining(","));
    }

    private static long overhead(long startedNanos, long waitedMillis) {
        return Math.max(0, Duration.ofNanos(System.nanoTime() - startedNanos).toMillis() - waitedMillis);
    }

    /** A complete answer, the experts that answered (for the header), and the service's own time. */
    record Answer(ObjectNode body, String experts, long overheadMs) {}
}
