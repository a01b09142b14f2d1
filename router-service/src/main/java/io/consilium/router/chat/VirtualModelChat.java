package io.consilium.router.chat;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Usage;
import io.consilium.router.api.ExpertFailures;
import io.consilium.router.auth.TokenMeter;
import io.consilium.router.batching.ExpertCalls;
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
import java.util.stream.Collectors;
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
    private final ExpertCalls calls;
    private final ChatAnswers answers;
    private final JsonMapper json;
    private final ConsiliumProperties properties;

    VirtualModelChat(Router router, PlanExecutor executor, ExpertRegistry registry, ExpertCalls calls,
            ChatAnswers answers, JsonMapper json, ConsiliumProperties properties) {
        this.router = router;
        this.executor = executor;
        this.registry = registry;
        this.calls = calls;
        this.answers = answers;
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
        return answers.fuse(plan, outcomes, expertMillis);
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
            try {
                ChatCompletion synthesized = calls.chat(aggregator, answers.synthesisRequest(request, fused, false));
                text = synthesized.text();
                aggregatorUsage = synthesized.usage();
                fused = fused.withFusion(FusionMode.SYNTHESIZE, CallOutcome.OK);
            } catch (ExpertException e) {
                // Fusion falls back to the weighted vote over what arrived.
                text = answers.vote(fused);
                fused = fused.withFusion(FusionMode.VOTE, CallOutcome.of(e));
            }
            aggregatorMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        }
        long overheadMs = overhead(startedNanos, fused.expertMillis() + aggregatorMillis);
        ObjectNode body = answers.completion(model, fused, text, aggregatorUsage, overheadMs);
        ExpertAnswers.attachIfAsked(request, (ObjectNode) body.get("consilium"), fused);
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
                synthesisStream = registry.clientFor(aggregator).stream(answers.synthesisRequest(request, fused, true));
            } catch (ExpertException e) {
                fused = new FusedAnswer(fused.plan(), fused.outcomes(), answers.vote(fused),
                        FusionMode.VOTE, false, CallOutcome.of(e), fused.expertMillis());
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
                    events.send(ExpertFailures.toApiException(e, properties.resilience().openStateWait()).toError());
                    return;
                }
                fused = fused.withFusion(FusionMode.SYNTHESIZE, CallOutcome.OK);
            } else {
                chunks.content(fused.text());
            }
            chunks.finish();
            ObjectNode metadata = VirtualModelMetadata.of(fused, aggregatorUsage, overheadBeforeFirstByte);
            ExpertAnswers.attachIfAsked(request, metadata, fused);
            ObjectNode last = chunks.metadataChunk(ChatAnswers.sum(fused.expertUsage(), aggregatorUsage), metadata);
            events.send(last);
            events.done();
            answers.remember(id, fused);
        } catch (IOException clientGone) {
            // The client left; the aggregator stream is already closed, so its work stops too.
        }
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
