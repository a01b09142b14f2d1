package io.consilium.router.chat;

import io.consilium.profiler.SkillScore;
import io.consilium.registry.Expert;
import io.consilium.registry.Usage;
import io.consilium.router.routing.Affinity;
import io.consilium.router.routing.ExpertOutcome;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The {@code consilium} object of a virtual-model answer: skills found, experts asked, how they were fused. */
final class VirtualModelMetadata {

    /** Skills less probable than this are left out of the metadata. */
    private static final double MIN_REPORTED_SKILL = 0.05;

    private VirtualModelMetadata() {}

    /**
     * @param aggregatorUsage the aggregator's tokens, when it was called
     * @param aggregatorMillis how long the aggregator's call took, to its last token when it was streamed
     */
    static ObjectNode of(FusedAnswer fused, Usage aggregatorUsage, long aggregatorMillis, long overheadMs) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        metadata.put("strategy", fused.plan().strategy().id());
        ArrayNode skills = metadata.putArray("skills");
        for (SkillScore skill : fused.plan().skills().skills()) {
            if (skill.score() >= MIN_REPORTED_SKILL || skills.isEmpty()) {
                skills.addObject().put("id", skill.id()).put("score", skill.score());
            }
        }
        metadata.put("uncertain", fused.plan().skills().uncertain());
        Affinity affinity = fused.plan().affinity();
        if (affinity != null) {
            // Why this expert alone: it made the tool calls whose results the request carries back.
            metadata.putObject("affinity").put("expert", affinity.expertId()).put("tool_call_id", affinity.toolCallId());
        }
        ArrayNode experts = metadata.putArray("experts");
        for (ExpertOutcome outcome : fused.outcomes()) {
            ExpertCall.of(outcome).writeTo(experts.addObject());
        }
        if (fused.aggregatorOutcome() != null && fused.plan().aggregator() != null) {
            Expert aggregator = fused.plan().aggregator();
            metadata.put("aggregator", aggregator.id());
            metadata.putObject("aggregator_call")
                    .put("outcome", fused.aggregatorOutcome().tag())
                    .put("latency_ms", aggregatorMillis)
                    .put("prompt_tokens", aggregatorUsage.promptTokens())
                    .put("completion_tokens", aggregatorUsage.completionTokens())
                    .put("cost_usd", aggregator.cost().priceOf(aggregatorUsage.promptTokens(),
                            aggregatorUsage.completionTokens()));
        } else {
            metadata.putNull("aggregator");
        }
        metadata.put("fusion", fused.fusion().id());
        metadata.put("consensus", fused.consensus());
        metadata.put("router_overhead_ms", overheadMs);
        return metadata;
    }
}
