package io.consilium.aggregator;

import io.consilium.registry.Expert;
import io.consilium.registry.Usage;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the call to the aggregator went.
 *
 * @param aggregator who was called
 * @param failure why it gave no answer; null when it answered (or, for a stream, when the stream opened)
 * @param usage the tokens it reported; none for a stream, whose usage comes with its last chunk
 * @param latency how long the call took (for a stream: until it opened)
 */
public record AggregatorCall(Expert aggregator, @Nullable RuntimeException failure, Usage usage, Duration latency) {

    /** Whether the aggregator answered (or its stream opened). */
    public boolean answered() {
        return failure == null;
    }
}
