package io.consilium.router.chat;

import io.consilium.aggregator.CandidateAnswer;
import io.consilium.aggregator.Fusion;
import io.consilium.aggregator.SynthesisPrompt;
import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import io.consilium.registry.Usage;
import io.consilium.router.api.ApiException;
import io.consilium.router.auth.TokenMeter;
import io.consilium.router.feedback.CompletionLog;
import io.consilium.router.routing.ExpertOutcome;
import io.consilium.router.routing.FusionMode;
import io.consilium.router.routing.Plan;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns what experts answered into the {@code chat.completion} a client receives: one expert's answer as it
 * is, or the answers of a plan fused (consensus, vote, best, or an aggregator's synthesis). The chat
 * endpoint and batch jobs share it, so that both answer alike.
 */
@Component
public final class ChatAnswers {

    private final SynthesisPrompt synthesis;
    private final CompletionLog completions;
    private final JsonMapper json;

    ChatAnswers(SynthesisPrompt synthesis, CompletionLog completions, JsonMapper json) {
        this.synthesis = synthesis;
        this.completions = completions;
        this.json = json;
    }

    /**
     * One expert's answer with our own id (what feedback refers to) and the {@code consilium} object added.
     * Takes over the completion's body.
     */
    public ObjectNode direct(Expert expert, ChatRequest request, ChatCompletion completion, long latencyMs,
            long overheadMs) {
        TokenMeter.add(completion.usage().totalTokens());
        ObjectNode body = completion.body();
        String id = CompletionLog.newId();
        body.put("id", id);
        completions.remember(id, List.of(expert.id()), request.lastUserText());
        body.set("consilium", ConsiliumMetadata.direct(
                new ExpertCall(expert, 1.0, latencyMs, completion.usage(), CallOutcome.OK), overheadMs));
        return body;
    }

    /**
     * Decides the fusion for what the plan's experts answered: a single answer or a consensus is taken as
     * it is, vote and best pick one; synthesis leaves the text to the aggregator.
     *
     * @throws ApiException a 502 when no expert answered
     */
    public FusedAnswer fuse(Plan plan, List<ExpertOutcome> outcomes, long expertMillis) {
        List<ExpertOutcome> answered = outcomes.stream().filter(ExpertOutcome::answered).toList();
        if (answered.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "upstream_error", "no_expert_answered", null,
                    "No expert answered: " + outcomes.stream().map(o -> o.expertId() + " (" + o.outcome().tag() + ")")
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

    /** The request that asks the plan's aggregator to write one answer from the experts' answers. */
    public ChatRequest synthesisRequest(ChatRequest request, FusedAnswer fused, boolean stream) {
        ObjectNode body = synthesis.request(request.body().path("messages"),
                fused.answered().stream().map(outcome -> outcome.completion().text()).toList());
        body.put("model", fused.plan().aggregator().id());
        copyIfPresent(request.body(), body, "temperature", "max_tokens", "max_completion_tokens");
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return new ChatRequest(body);
    }

    /** The weighted vote over what arrived: the fallback when the aggregator fails. */
    public String vote(FusedAnswer fused) {
        return Fusion.vote(candidates(fused.answered())).text();
    }

    /**
     * The fused answer as a {@code chat.completion} for the virtual model, remembered for feedback.
     *
     * @param text the answer: the fused one, or the aggregator's
     */
    public ObjectNode completion(String model, FusedAnswer fused, String text, Usage aggregatorUsage, long overheadMs) {
        String id = CompletionLog.newId();
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
        return body;
    }

    /** Remembers which experts made the answer, for feedback on it. */
    void remember(String id, FusedAnswer fused) {
        List<String> experts = Stream.concat(fused.answered().stream().map(ExpertOutcome::expertId),
                fused.aggregatorOutcome() == CallOutcome.OK ? Stream.of(fused.plan().aggregator().id()) : Stream.empty())
                .distinct().toList();
        completions.remember(id, experts, fused.plan().skills().skills());
    }

    /** Each answer weighted by its expert's routing score. */
    private static List<CandidateAnswer> candidates(List<ExpertOutcome> answered) {
        return answered.stream()
                .map(outcome -> new CandidateAnswer(outcome.expertId(), outcome.completion().text(), outcome.planned().score()))
                .toList();
    }

    private static void copyIfPresent(ObjectNode from, ObjectNode to, String... fields) {
        for (String field : fields) {
            if (from.has(field)) {
                to.set(field, from.get(field).deepCopy());
            }
        }
    }

    static Usage sum(Usage a, Usage b) {
        return new Usage(a.promptTokens() + b.promptTokens(), a.completionTokens() + b.completionTokens());
    }

    static void putUsage(ObjectNode target, Usage usage) {
        target.putObject("usage")
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.promptTokens() + usage.completionTokens());
    }
}
