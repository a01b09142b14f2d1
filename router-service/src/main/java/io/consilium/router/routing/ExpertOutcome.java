package io.consilium.router.routing;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.Usage;
import org.jspecify.annotations.Nullable;

/**
 * How one planned expert's call went.
 *
 * @param completion its answer, when it answered
 * @param outcome {@code ok} or the kind of failure
 */
public record ExpertOutcome(PlannedExpert planned, @Nullable ChatCompletion completion, CallOutcome outcome, long latencyMs) {

    public boolean answered() {
        return completion != null;
    }

    public Usage usage() {
        return completion == null ? Usage.NONE : completion.usage();
    }

    public String expertId() {
        return planned.expert().id();
    }
}
