package io.consilium.router.chat;

import io.consilium.aggregator.FusionMode;
import io.consilium.aggregator.NoAnswerException;
import io.consilium.profiler.SkillVector;
import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatCompletion;
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
import io.consilium.router.routing.PlannedExpert;
import io.consilium.router.routing.Reserves;
import io.consilium.router.routing.Router;
import io.consilium.router.routing.RoutingConfig;
import io.consilium.router.routing.RoutingOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers {@code consilium/route}: the router picks one expert and its answer is relayed as it is — every
 * choice, tool call, refusal, logprob and finish reason — streamed chunk by chunk as the expert sends it.
 * An expert that fails before its first chunk hands over to the plan's next reserve; once a chunk has been
 * sent the answer is that expert's, and a later failure ends the stream with an error event.
 */
@Component
final class RouteRelay {

    private static final Logger log = LoggerFactory.getLogger(RouteRelay.class);

    private final Router router;
    private final PlanExecutor executor;
    private final ExpertCalls calls;
    private final ChatAnswers answers;
    private final RoutingConfig routing;
    private final Duration circuitRetryAfter;

    RouteRelay(Router router, PlanExecutor executor, ExpertCalls calls, ChatAnswers answers,
            RoutingConfig routing, ConsiliumProperties properties) {
        this.router = router;
        this.executor = executor;
        this.calls = calls;
        this.answers = answers;
        this.routing = routing;
        this.circuitRetryAfter = properties.resilience().openStateWait();
    }

    /**
     * The chosen expert's whole answer.
     *
     * @throws NoAnswerException when neither the expert nor a reserve answered
     */
    VirtualModelChat.Answer complete(ChatRequest request, RoutingOptions options, @Nullable SkillVector skills,
            long startedNanos) {
        Plan plan = plan(request, options, skills);
        long started = System.nanoTime();
        List<ExpertOutcome> outcomes = executor.answer(plan, request, Deadline.in(routing.deadline()));
        ExpertRound round = new ExpertRound(plan, outcomes, millisSince(started));
        ExpertOutcome answered = round.firstAnswer();
        long overheadMs = Math.max(0, millisSince(startedNanos) - round.expertMillis());
        FusedAnswer fused = new FusedAnswer(round, FusionMode.NONE, false, null);
        ObjectNode body = answers.relayed(Router.ROUTE, fused, answered.completion(), overheadMs);
        return new VirtualModelChat.Answer(body, answered.expertId(), overheadMs);
    }

    /**
     * Streams the chosen expert's answer as it arrives.
     *
     * @throws NoAnswerException when no expert sent a first chunk (nothing has been sent to the client)
     */
    void stream(ChatRequest request, RoutingOptions options, @Nullable SkillVector skills, ChatEvents.Opener opener,
            long startedNanos) throws IOException {
        Plan plan = plan(request, options, skills);
        Deadline deadline = Deadline.in(routing.deadline());
        Reserves reserves = new Reserves(plan.reserves());
        List<ExpertOutcome> outcomes = new ArrayList<>();
        long expertsStarted = System.nanoTime();
        for (PlannedExpert planned = plan.experts().getFirst(); planned != null; ) {
            long started = System.nanoTime();
            @Nullable ChatStream stream = null;
            ObjectNode first;
            try {
                stream = calls.clientFor(planned.expert()).stream(request);
                // Read before anything is sent: until the first chunk is here, a reserve can still take over.
                first = stream.next().orElse(null);
            } catch (ExpertException e) {
                if (stream != null) {
                    stream.close();
                }
                ExpertOutcome failed = new ExpertOutcome(planned, null, CallOutcome.of(e), millisSince(started));
                outcomes.add(failed);
                planned = reserves.replacing(failed, deadline.remaining());
                continue;
            }
            try (ChatStream opened = stream) {
                long waited = millisSince(expertsStarted);
                relay(request, plan, outcomes, planned, opened, first, opener, started,
                        Math.max(0, millisSince(startedNanos) - waited), waited);
            }
            return;
        }
        throw new NoAnswerException(ExpertRound.unanswered(outcomes));
    }

    /** The plan, with the skills found already when the answer cache classified the request. */
    private Plan plan(ChatRequest request, RoutingOptions options, @Nullable SkillVector skills) {
        return skills == null ? router.plan(request, Router.ROUTE, options)
                : router.plan(request, Router.ROUTE, options, skills);
    }

    private void relay(ChatRequest request, Plan plan, List<ExpertOutcome> failed, PlannedExpert planned,
            ChatStream stream, @Nullable ObjectNode first, ChatEvents.Opener opener, long callStarted,
            long overheadMs, long waitedMs) throws IOException {
        String id = CompletionLog.newId();
        ChatEvents events = opener.open(DirectExpertChat.EXPERTS_HEADER, planned.expert().id(),
                DirectExpertChat.OVERHEAD_HEADER, Long.toString(overheadMs));
        ChunkRelay chunks = new ChunkRelay(events, id, Router.ROUTE, request.asksForStreamUsage());
        try {
            chunks.relay(first, stream);
        } catch (ExpertException e) {
            events.error(ExpertFailures.toApiException(e, circuitRetryAfter));
            return;
        } catch (IOException clientGone) {
            log.debug("Client left during a routed stream from expert {}", planned.expert().id());
            return;
        }
        TokenMeter.add(planned.expert(), chunks.usage());
        List<ExpertOutcome> outcomes = new ArrayList<>(failed);
        outcomes.add(new ExpertOutcome(planned, streamed(chunks.usage()), CallOutcome.OK, millisSince(callStarted)));
        FusedAnswer fused = new FusedAnswer(new ExpertRound(plan, outcomes, waitedMs), FusionMode.NONE, false, null);
        // Remembered before the stream ends: a client may send the tool results the moment it has the end.
        answers.remember(id, fused);
        answers.rememberToolCalls(chunks.toolCallIds(), planned.expert().id());
        chunks.finish(VirtualModelMetadata.of(fused, Usage.NONE, 0, overheadMs));
    }

    /** A streamed answer as the round records it: only its usage, since its text went to the client. */
    private static ChatCompletion streamed(Usage usage) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ChatAnswers.putUsage(body, usage);
        return new ChatCompletion(body);
    }

    private static long millisSince(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }
}
