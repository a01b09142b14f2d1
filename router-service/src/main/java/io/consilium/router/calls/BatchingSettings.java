package io.consilium.router.calls;

import java.time.Duration;

/**
 * How requests for one expert are gathered into batches.
 *
 * @param window how long a request may wait for others to join its batch while the expert is busy; an idle
 *     expert never waits
 * @param maxBatchSize the most requests one batch holds
 */
public record BatchingSettings(Duration window, int maxBatchSize) {

    /** Above this, waiting would cost more latency than a batch saves. */
    static final Duration MAX_WINDOW = Duration.ofSeconds(1);
    static final int MAX_BATCH_SIZE = 1024;

    public BatchingSettings {
        if (window.isNegative() || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("consilium.batching.window must be between 0 and " + MAX_WINDOW.toMillis()
                    + "ms, but was " + window.toMillis() + "ms");
        }
        if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("consilium.batching.max-batch-size must be between 1 and "
                    + MAX_BATCH_SIZE + ", but was " + maxBatchSize);
        }
    }
}
