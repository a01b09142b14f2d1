package io.consilium.router.chat;

import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertForbiddenException;
import io.consilium.registry.ExpertRateLimitedException;
import io.consilium.registry.ExpertRejectedRequestException;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.ExpertUnavailableException;
import io.consilium.registry.Expert;
import io.consilium.registry.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** Times expert calls by expert, mode and outcome; tags come from bounded sets only. */
@Component
public final class ExpertCallMetrics {

    public static final String OK = "ok";
    public static final String TOKENS = "consilium.expert.tokens";
    public static final String COST = "consilium.expert.cost";
    /** The client hung up and the call was stopped (or its answer dropped). */
    public static final String CLIENT_GONE = "client_gone";

    private final MeterRegistry meters;

    ExpertCallMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    public void record(String expertId, boolean streamed, String outcome, Duration latency) {
        Timer.builder("consilium.expert.calls")
                .description("Calls to experts, from request to last byte")
                .tag("expert", expertId)
                .tag("mode", streamed ? "stream" : "chat")
                .tag("outcome", outcome)
                .register(meters)
                .record(latency);
    }

    /**
     * Counts the tokens an answered call used and what they cost at the expert's prices, so spending can
     * be read from the metrics ({@code consilium_expert_cost_usd_total}).
     */
    public void recordUsage(Expert expert, Usage usage) {
        Counter.builder(TOKENS).description("Tokens used by expert calls").tag("expert", expert.id()).tag("kind", "prompt")
                .register(meters).increment(usage.promptTokens());
        Counter.builder(TOKENS).description("Tokens used by expert calls").tag("expert", expert.id())
                .tag("kind", "completion").register(meters).increment(usage.completionTokens());
        Counter.builder(COST).description("What expert calls cost at the experts' prices").baseUnit("usd")
                .tag("expert", expert.id()).register(meters)
                .increment(expert.cost().priceOf(usage.promptTokens(), usage.completionTokens()));
    }

    /** The outcome tag of a failed call; a call stopped by an interrupt was stopped for a client that left. */
    public static String outcomeOfCallOnThisThread(Throwable failure) {
        return Thread.currentThread().isInterrupted() ? CLIENT_GONE : outcomeOf(failure);
    }

    /** The outcome tag of a failed call. */
    public static String outcomeOf(Throwable failure) {
        return switch (failure) {
            case ExpertTimeoutException e -> "timeout";
            case ExpertRateLimitedException e -> "rate_limited";
            case ExpertUnavailableException e -> "unavailable";
            case ExpertRejectedRequestException e -> "rejected";
            case ExpertForbiddenException e -> "forbidden";
            case ExpertException e -> "upstream_error";
            default -> CLIENT_GONE;
        };
    }
}
