package io.consilium.router.chat;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.Usage;
import io.consilium.router.routing.ExpertOutcome;
import io.consilium.router.routing.FusionMode;
import io.consilium.router.routing.Plan;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of the expert phase and the fusion decided for it, before anything is sent. Made by
 * {@link ChatAnswers#fuse}.
 *
 * @param outcomes every expert call made, answered or not
 * @param text the answer to send when no aggregator is to be called (consensus, vote, best, single)
 * @param fusion the fusion actually applied
 * @param aggregatorOutcome how the aggregator call went, when one was made
 * @param expertMillis wall time spent waiting on experts
 */
public record FusedAnswer(Plan plan, List<ExpertOutcome> outcomes, @Nullable String text, FusionMode fusion, boolean consensus,
        @Nullable CallOutcome aggregatorOutcome, long expertMillis) {

    /** The same answer with the fusion finally applied and how the aggregator call went. */
    public FusedAnswer withFusion(FusionMode mode, @Nullable CallOutcome aggregatorOutcome) {
        return new FusedAnswer(plan, outcomes, text, mode, consensus, aggregatorOutcome, expertMillis);
    }

    List<ExpertOutcome> answered() {
        return outcomes.stream().filter(ExpertOutcome::answered).toList();
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
