package io.consilium.router.chat;

import io.consilium.router.routing.ExpertOutcome;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Adds each expert's own answer to the {@code consilium.experts} entries when the request asked for them
 * ({@code "consilium": {"include_answers": true}}): a playground wants to show them, most clients do not
 * want to pay for the bytes.
 */
final class ExpertAnswers {

    private ExpertAnswers() {}

    static void attachIfAsked(boolean asked, ObjectNode metadata, FusedAnswer fused) {
        if (!asked) {
            return;
        }
        JsonNode entries = metadata.path("experts");
        List<ExpertOutcome> outcomes = fused.outcomes();
        for (int i = 0; i < entries.size() && i < outcomes.size(); i++) {
            ExpertOutcome outcome = outcomes.get(i);
            ObjectNode entry = (ObjectNode) entries.get(i);
            if (outcome.answered()) {
                entry.put("answer", outcome.completion().text());
            } else {
                entry.putNull("answer");
            }
        }
    }
}
