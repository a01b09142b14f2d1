package io.consilium.registry;

import org.jspecify.annotations.Nullable;

/** The expert answered with a server error (5xx) or an error event in its stream. */
public final class ExpertServerException extends RetriableExpertException {

    private final int status;

    public ExpertServerException(String expertId, int status, String detail, @Nullable Throwable cause) {
        super(expertId, "upstream error " + status + (detail.isEmpty() ? "" : ": " + detail), cause);
        this.status = status;
    }

    /** The upstream HTTP status. */
    public int status() {
        return status;
    }
}
