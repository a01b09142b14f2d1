package io.consilium.aggregator.internal;

import io.consilium.aggregator.AggregatorCall;
import io.consilium.aggregator.CandidateAnswer;
import io.consilium.aggregator.Fuser;
import io.consilium.aggregator.FusionConfig;
import io.consilium.aggregator.FusionDecision;
import io.consilium.aggregator.FusionInput;
import io.consilium.aggregator.FusionMode;
import io.consilium.aggregator.FusionResult;
import io.consilium.aggregator.NoAnswerException;
import io.consilium.aggregator.NoValidAnswerException;
import io.consilium.aggregator.PendingSynthesis;
import io.consilium.aggregator.ToolCall;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertProtocolException;
import io.consilium.registry.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The one owner of the fusion chain: the request's constraints on the answer's form, consensus, vote or best,
 * synthesis, and the vote when synthesis fails or breaks the constraints.
 */
public final class DefaultFuser implements Fuser {

    private final FusionConfig config;
    private final SynthesisPrompt prompt;

    public DefaultFuser(FusionConfig config) {
        this.config = config;
        this.prompt = new SynthesisPrompt(config);
    }

    @Override
    public FusionConfig config() {
        return config;
    }

    @Override
    public FusionDecision decide(FusionInput input) {
        List<CandidateAnswer> answers = input.answers();
        if (answers.isEmpty()) {
            throw new NoAnswerException(input.unanswered());
        }
        AnswerRules rules = AnswerRules.of(input.request());
        AnswerRules.Screening screened = rules.screen(answers);
        List<CandidateAnswer> eligible = screened.eligible();
        if (eligible.isEmpty()) {
            if (input.mode() == FusionMode.SYNTHESIZE) {
                // The aggregator sees every answer and may still write one that holds, say by mending broken JSON.
                return synthesis(input.request(), answers, aggregatorOf(input));
            }
            throw new NoValidAnswerException(rules.describe(), screened.refusals(), null);
        }
        if (eligible.size() == 1) {
            FusionMode applied = input.mode() == FusionMode.NONE ? FusionMode.NONE : FusionMode.BEST;
            return FusionResult.decided(applied, false, eligible.getFirst());
        }
        Optional<CandidateAnswer> consensus = FusionRules.consensus(eligible, rules.json());
        if (consensus.isPresent()) {
            return FusionResult.decided(input.mode(), true, consensus.get());
        }
        return switch (input.mode()) {
            case VOTE -> FusionResult.decided(FusionMode.VOTE, false, FusionRules.vote(eligible, rules.json()));
            case BEST, NONE -> FusionResult.decided(FusionMode.BEST, false, FusionRules.best(eligible));
            case SYNTHESIZE -> synthesis(input.request(), answers, aggregatorOf(input));
        };
    }

    @Override
    public FusionResult fuse(FusionInput input, Function<? super Expert, ? extends ExpertClient> clients) {
        return switch (decide(input)) {
            case FusionResult decided -> decided;
            case PendingSynthesis pending -> synthesize(pending, clients.apply(pending.aggregator()));
        };
    }

    @Override
    public FusionResult fuseStreaming(FusionInput input, Function<? super Expert, ? extends ExpertClient> clients) {
        return switch (decide(input)) {
            case FusionResult decided -> decided;
            case PendingSynthesis pending -> AnswerRules.of(pending.request()).needsWholeAnswer()
                    ? synthesize(pending, clients.apply(pending.aggregator()))
                    : openStream(pending, clients.apply(pending.aggregator()));
        };
    }

    @Override
    public PendingSynthesis synthesis(ChatRequest request, List<CandidateAnswer> answers, Expert aggregator) {
        return new PendingSynthesis(aggregator, prompt.request(request, answers, aggregator), answers);
    }

    @Override
    public FusionResult synthesize(PendingSynthesis pending, ExpertClient aggregator) {
        requireAggregator(pending, aggregator);
        long started = System.nanoTime();
        ChatCompletion answer;
        try {
            answer = aggregator.chat(pending.request());
        } catch (ExpertException e) {
            return aggregatorFailed(pending, e, since(started));
        }
        return synthesized(pending, answer, since(started));
    }

    @Override
    public FusionResult synthesized(PendingSynthesis pending, ChatCompletion answer, Duration latency) {
        // The synthesis request carries the client's answer-form fields, so its rules are the client's.
        AnswerRules rules = AnswerRules.of(pending.request());
        List<ToolCall> calls = ToolCall.inCompletion(answer);
        Expert aggregator = pending.aggregator();
        return switch (rules.check(answer.text(), calls)) {
            case Verdict.Accepted accepted -> new FusionResult(FusionMode.SYNTHESIZE, false, accepted.text(), null,
                    new AggregatorCall(aggregator, null, answer.usage(), latency), calls, aggregator.id());
            case Verdict.Refused refused -> {
                String refusal = "the aggregator's answer " + refused.reason();
                // It did answer, and its tokens were spent, so its usage counts although its answer is dropped.
                yield vote(pending, rules, new ExpertProtocolException(aggregator.id(), refusal, null), refusal,
                        answer.usage(), latency);
            }
        };
    }

    @Override
    public FusionResult aggregatorFailed(PendingSynthesis pending, RuntimeException failure, Duration latency) {
        return vote(pending, AnswerRules.of(pending.request()), failure, null, Usage.NONE, latency);
    }

    /**
     * The weighted vote over the answers that meet the rules, with the aggregator's failure.
     *
     * @param refusal why the aggregator's answer was refused; null when it gave none
     * @throws NoValidAnswerException when no answer meets the rules
     */
    private static FusionResult vote(PendingSynthesis pending, AnswerRules rules, RuntimeException failure,
            @Nullable String refusal, Usage usage, Duration latency) {
        AnswerRules.Screening screened = rules.screen(pending.answers());
        if (screened.eligible().isEmpty()) {
            List<String> refusals = new ArrayList<>(screened.refusals());
            if (refusal != null) {
                refusals.add(refusal);
            }
            throw new NoValidAnswerException(rules.describe(), refusals, refusal == null ? failure : null);
        }
        CandidateAnswer voted = FusionRules.vote(screened.eligible(), rules.json());
        return new FusionResult(FusionMode.VOTE, false, voted.text(), null,
                new AggregatorCall(pending.aggregator(), failure, usage, latency), voted.toolCalls(), voted.expertId());
    }

    private FusionResult openStream(PendingSynthesis pending, ExpertClient aggregator) {
        requireAggregator(pending, aggregator);
        long started = System.nanoTime();
        ChatStream stream;
        try {
            stream = aggregator.stream(prompt.streamed(pending.request()));
        } catch (ExpertException e) {
            return aggregatorFailed(pending, e, since(started));
        }
        return new FusionResult(FusionMode.SYNTHESIZE, false, null, stream,
                new AggregatorCall(pending.aggregator(), null, Usage.NONE, since(started)), List.of(),
                pending.aggregator().id());
    }

    private static Expert aggregatorOf(FusionInput input) {
        Expert aggregator = input.aggregator();
        if (aggregator == null) {
            // FusionInput refuses synthesis without an aggregator; this only guards against a future change.
            throw new IllegalStateException("synthesis needs an aggregator");
        }
        return aggregator;
    }

    private static void requireAggregator(PendingSynthesis pending, ExpertClient aggregator) {
        if (!aggregator.expert().id().equals(pending.aggregator().id())) {
            throw new IllegalArgumentException("the synthesis is for aggregator '" + pending.aggregator().id()
                    + "', but the client calls '" + aggregator.expert().id() + "'");
        }
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
