package io.consilium.router.chat;

import io.consilium.registry.Expert;
import io.consilium.registry.Usage;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one expert call cost and how it went, as reported in the response's {@code consilium} object.
 *
 * @param outcome {@code ok}, or the kind of failure
 */
record ExpertCall(Expert expert, long latencyMs, Usage usage, String outcome) {

    double costUsd() {
        return expert.cost().priceOf(usage.promptTokens(), usage.completionTokens());
    }

    void writeTo(ObjectNode target) {
        target.put("id", expert.id());
        target.put("score", 1.0);
        target.put("latency_ms", latencyMs);
        target.put("prompt_tokens", usage.promptTokens());
        target.put("completion_tokens", usage.completionTokens());
        target.put("cost_usd", costUsd());
        target.put("outcome", outcome);
    }
}
