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
import io.consilium.aggregator.PendingSynthesis;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertException;
import io.consilium.registry.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The one owner of the fusion chain: consensus, vote or best, synthesis, and the vote when synthesis fails. */
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
        if (answers.size() == 1) {
            FusionMode applied = input.mode() == FusionMode.NONE ? FusionMode.NONE : FusionMode.BEST;
            return FusionResult.decided(applied, false, answers.getFirst().text());
        }
        Optional<CandidateAnswer> consensus = FusionRules.consensus(answers);
        if (consensus.isPresent()) {
            return FusionResult.decided(input.mode(), true, consensus.get().text());
        }
        return switch (input.mode()) {
            case VOTE -> FusionResult.decided(FusionMode.VOTE, false, FusionRules.vote(answers).text());
            case BEST, NONE -> FusionResult.decided(FusionMode.BEST, false, FusionRules.best(answers).text());
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
            case PendingSynthesis pending -> openStream(pending, clients.apply(pending.aggregator()));
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
        return new FusionResult(FusionMode.SYNTHESIZE, false, answer.text(), null,
                new AggregatorCall(pending.aggregator(), null, answer.usage(), latency));
    }

    @Override
    public FusionResult aggregatorFailed(PendingSynthesis pending, RuntimeException failure, Duration latency) {
        return new FusionResult(FusionMode.VOTE, false, FusionRules.vote(pending.answers()).text(), null,
                new AggregatorCall(pending.aggregator(), failure, Usage.NONE, latency));
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
                new AggregatorCall(pending.aggregator(), null, Usage.NONE, since(started)));
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
