package io.consilium.router.routing;

import io.consilium.registry.ChatRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cost: experts by expected competence per expected dollar, keeping only those that fit
 * {@code max_cost_usd} together; free experts (mocks, local models) come first. Recruited like
 * Symbolic-MoE from that order.
 */
final class CostPolicy implements RoutingPolicy {

    /** Keeps a free expert's value finite, and ahead of every paid one. */
    private static final double NEAR_ZERO_PRICE = 1e-9;

    private final Recruitment recruitment;
    private final RoutingConfig config;

    CostPolicy(Recruitment recruitment, RoutingConfig config) {
        this.recruitment = recruitment;
        this.config = config;
    }

    @Override
    public Strategy strategy() {
        return Strategy.COST;
    }

    @Override
    public Plan plan(Input input) {
        List<PlannedExpert> affordable = affordable(input.request(), input.options(), input.ranked());
        if (input.oneExpert()) {
            return recruitment.single(strategy(), input.skills(), affordable);
        }
        return recruitment.recruit(strategy(), input.skills(), affordable,
                recruitment.k(input), input.options());
    }

    private List<PlannedExpert> affordable(ChatRequest request, RoutingOptions options, List<PlannedExpert> ranked) {
        long promptTokens = Math.max(1, request.body().path("messages").toString().length() / 4);
        long completionTokens = request.body().path("max_completion_tokens").asLong(
                request.body().path("max_tokens").asLong(config.expectedCompletionTokens()));
        List<PlannedExpert> byValue = new ArrayList<>(ranked);
        byValue.sort(Comparator.comparingDouble((PlannedExpert planned) ->
                planned.score() / (planned.expert().cost().priceOf(promptTokens, completionTokens) + NEAR_ZERO_PRICE))
                .reversed());
        if (options.maxCostUsd() == null) {
            return byValue;
        }
        List<PlannedExpert> within = new ArrayList<>();
        double spent = 0;
        for (PlannedExpert planned : byValue) {
            double cost = planned.expert().cost().priceOf(promptTokens, completionTokens);
            if (spent + cost <= options.maxCostUsd()) {
                within.add(planned);
                spent += cost;
            }
        }
        if (within.isEmpty()) {
            throw new InvalidRoutingRequestException("consilium.max_cost_usd",
                    "No expert can answer within " + options.maxCostUsd() + " USD for this request.");
        }
        return within;
    }
}
