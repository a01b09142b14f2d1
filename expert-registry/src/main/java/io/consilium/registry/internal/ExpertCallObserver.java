package io.consilium.registry.internal;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertCallMeters;
import io.consilium.registry.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Records one ended expert call on the {@link ExpertCallMeters}: its time, and for an answer its tokens and cost. */
final class ExpertCallObserver {

    /** How the call was made, as its {@value ExpertCallMeters#MODE} tag says. */
    enum Mode {
        CHAT("chat"),
        STREAM("stream"),
        EMBED("embed");

        private final String tag;

        Mode(String tag) {
            this.tag = tag;
        }
    }

    private final MeterRegistry meters;

    ExpertCallObserver(MeterRegistry meters) {
        this.meters = meters;
    }

    /** An answered call: timed as {@code ok}, its tokens and their cost counted. */
    void answered(Expert expert, Mode mode, Usage usage, Duration latency) {
        time(expert, mode, CallOutcome.OK, latency);
        Counter.builder(ExpertCallMeters.TOKENS).description("Tokens used by expert calls")
                .tag(ExpertCallMeters.EXPERT, expert.id()).tag(ExpertCallMeters.KIND, "prompt")
                .register(meters).increment(usage.promptTokens());
        Counter.builder(ExpertCallMeters.TOKENS).description("Tokens used by expert calls")
                .tag(ExpertCallMeters.EXPERT, expert.id()).tag(ExpertCallMeters.KIND, "completion")
                .register(meters).increment(usage.completionTokens());
        // Spending can be read from the metrics (consilium_expert_cost_usd_total) at the expert's own prices.
        Counter.builder(ExpertCallMeters.COST).description("What expert calls cost at the experts' prices").baseUnit("usd")
                .tag(ExpertCallMeters.EXPERT, expert.id()).register(meters)
                .increment(expert.cost().priceOf(usage.promptTokens(), usage.completionTokens()));
    }

    /** A call that ended without an answer. */
    void failed(Expert expert, Mode mode, CallOutcome outcome, Duration latency) {
        time(expert, mode, outcome, latency);
    }

    private void time(Expert expert, Mode mode, CallOutcome outcome, Duration latency) {
        Timer.builder(ExpertCallMeters.CALLS)
                .description("Calls to experts, from request to last byte")
                .tag(ExpertCallMeters.EXPERT, expert.id())
                .tag(ExpertCallMeters.MODE, mode.tag)
                .tag(ExpertCallMeters.OUTCOME, outcome.tag())
                .register(meters)
                .record(latency);
    }
}
