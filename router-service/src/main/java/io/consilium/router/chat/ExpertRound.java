package io.consilium.router.chat;

import io.consilium.aggregator.CandidateAnswer;
import io.consilium.aggregator.FusionInput;
import io.consilium.aggregator.FusionResult;
import io.consilium.aggregator.NoAnswerException;
import io.consilium.aggregator.Unanswered;
import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Usage;
import io.consilium.router.auth.TokenMeter;
import io.consilium.router.routing.ExpertOutcome;
import io.consilium.router.routing.Plan;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The experts' part of a virtual-model request, before fusion: the plan and every expert call it made.
 *
 * @param outcomes every expert call made, answered or not
 * @param expertMillis wall time spent waiting on experts
 */
public record ExpertRound(Plan plan, List<ExpertOutcome> outcomes, long expertMillis) {

    public ExpertRound {
        outcomes = List.copyOf(outcomes);
    }

    /**
     * What fusion works on: each answer weighted by its expert's routing score, each call that brought none
     * with its outcome, the plan's fusion and aggregator.
     */
    public FusionInput fusionInput(ChatRequest request) {
        List<CandidateAnswer> answers = new ArrayList<>();
        List<Unanswered> unanswered = new ArrayList<>();
        for (ExpertOutcome outcome : outcomes) {
            ChatCompletion completion = outcome.completion();
            if (completion != null) {
                answers.add(CandidateAnswer.of(outcome.expertId(), completion, outcome.planned().score()));
            } else {
                unanswered.add(new Unanswered(outcome.expertId(), outcome.outcome()));
            }
        }
        return new FusionInput(request, plan.fusion(), answers, unanswered, plan.aggregator());
    }

    /**
     * How the answer was made, once fused.
     *
     * @param aggregatorOutcome how the aggregator call went, null when none was made
     */
    public FusedAnswer fused(FusionResult result, @Nullable CallOutcome aggregatorOutcome) {
        return new FusedAnswer(this, result.mode(), result.consensus(), aggregatorOutcome);
    }

    /**
     * The answer of a round that asked one expert at a time ({@code consilium/route}): the first that came.
     *
     * @throws NoAnswerException when no call answered
     */
    public ExpertOutcome firstAnswer() {
        return outcomes.stream().filter(ExpertOutcome::answered).findFirst()
                .orElseThrow(() -> new NoAnswerException(unanswered(outcomes)));
    }

    /** The calls that brought no answer, as fusion reports them. */
    static List<Unanswered> unanswered(List<ExpertOutcome> outcomes) {
        return outcomes.stream().filter(outcome -> !outcome.answered())
                .map(outcome -> new Unanswered(outcome.expertId(), outcome.outcome())).toList();
    }

    List<ExpertOutcome> answered() {
        return outcomes.stream().filter(ExpertOutcome::answered).toList();
    }

    /** Adds what each call reported to the request's meter, at its own expert's prices. */
    void meter() {
        for (ExpertOutcome outcome : outcomes) {
            TokenMeter.add(outcome.planned().expert(), outcome.usage());
        }
    }

    Usage expertUsage() {
        long prompt = 0;
        long completion = 0;
        for (ExpertOutcome outcome : outcomes) {
            prompt += outcome.usage().promptTokens();
            completion += outcome.usage().completionTokens();
        }
        return new Usage(prompt, completion);
    }
}
