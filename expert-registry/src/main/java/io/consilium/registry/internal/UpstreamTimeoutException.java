package io.consilium.registry.internal;

import java.io.IOException;
import java.time.Duration;

/** An upstream call's deadline passed before its answer came; {@link UpstreamErrors} makes it a timeout. */
final class UpstreamTimeoutException extends IOException {

    private final Duration deadline;

    UpstreamTimeoutException(Duration deadline, Throwable cause) {
        super("no answer within " + deadline.toMillis() + " ms", cause);
        this.deadline = deadline;
    }

    Duration deadline() {
        return deadline;
    }
}
