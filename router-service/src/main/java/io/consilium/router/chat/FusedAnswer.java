package io.consilium.router.chat;

import io.consilium.aggregator.FusionMode;
import io.consilium.registry.CallOutcome;
import io.consilium.registry.Usage;
import io.consilium.router.routing.ExpertOutcome;
import io.consilium.router.routing.Plan;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How the answer to a virtual-model request was made: the experts' round and the fusion applied to it.
 * The {@code consilium} metadata and the feedback log are written from it. Made by {@link ExpertRound#fused}.
 *
 * @param fusion the fusion actually applied
 * @param aggregatorOutcome how the aggregator call went, when one was made
 */
public record FusedAnswer(ExpertRound round, FusionMode fusion, boolean consensus, @Nullable CallOutcome aggregatorOutcome) {

    public Plan plan() {
        return round.plan();
    }

    /** Every expert call made, answered or not. */
    public List<ExpertOutcome> outcomes() {
        return round.outcomes();
    }

    /** Wall time spent waiting on experts. */
    public long expertMillis() {
        return round.expertMillis();
    }

    List<ExpertOutcome> answered() {
        return round.answered();
    }

    Usage expertUsage() {
        return round.expertUsage();
    }
}
