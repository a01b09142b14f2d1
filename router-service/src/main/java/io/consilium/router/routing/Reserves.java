package io.consilium.router.routing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.jspecify.annotations.Nullable;

/**
 * The one rule for replacing an expert that failed before answering: it hands its place to the plan's
 * next reserve, in order, while a replacement still has time to answer. Used by every way a plan is run
 * (online, and grouped by expert for the Batch API). Safe for concurrent calls.
 */
public final class Reserves {

    /** Below this much time left, a replacement could not answer anyway. */
    static final Duration MIN_TIME_FOR_REPLACEMENT = Duration.ofMillis(500);

    private final ConcurrentLinkedDeque<PlannedExpert> left;

    /** @param reserves a plan's reserves, best first */
    public Reserves(List<PlannedExpert> reserves) {
        this.left = new ConcurrentLinkedDeque<>(reserves);
    }

    /**
     * The expert to call in place of a finished call: the next reserve when the call failed and at least
     * {@link #MIN_TIME_FOR_REPLACEMENT} is left; {@code null} when it answered, time is short or none is left.
     */
    public @Nullable PlannedExpert replacing(ExpertOutcome finished, Duration timeLeft) {
        if (finished.answered() || timeLeft.compareTo(MIN_TIME_FOR_REPLACEMENT) < 0) {
            return null;
        }
        return left.poll();
    }
}
