package io.consilium.router.chat;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.Expert;
import io.consilium.registry.Usage;
import io.consilium.router.routing.ExpertOutcome;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one expert call cost and how it went, as reported in the response's {@code consilium} object.
 *
 * @param score the expert's routing score for the request (1 for a direct call)
 * @param outcome {@code ok}, or the kind of failure
 */
record ExpertCall(Expert expert, double score, long latencyMs, Usage usage, CallOutcome outcome) {

    static ExpertCall of(ExpertOutcome outcome) {
        return new ExpertCall(outcome.planned().expert(), outcome.planned().score(), outcome.latencyMs(),
                outcome.usage(), outcome.outcome());
    }


    double costUsd() {
        return expert.cost().priceOf(usage.promptTokens(), usage.completionTokens());
    }

    void writeTo(ObjectNode target) {
        target.put("id", expert.id());
        target.put("score", score);
        target.put("latency_ms", latencyMs);
        target.put("prompt_tokens", usage.promptTokens());
        target.put("completion_tokens", usage.completionTokens());
        target.put("cost_usd", costUsd());
        target.put("outcome", outcome.tag());
    }
}
