package io.consilium.registry;

import org.jspecify.annotations.Nullable;

/**
 * The expert refused the request itself (a 4xx other than 429): repeating it will not help, and it
 * says nothing about the expert's health.
 */
public final class ExpertRejectedRequestException extends ExpertException {

    private final int status;
    private final String upstreamMessage;
    private final @Nullable String param;

    public ExpertRejectedRequestException(String expertId, int status, String upstreamMessage) {
        super(expertId, "upstream rejected the request with " + status
                + (upstreamMessage.isEmpty() ? "" : ": " + upstreamMessage));
        this.status = status;
        this.upstreamMessage = upstreamMessage;
        this.param = null;
    }

    /**
     * A request that an expert in this process refused, for a reason tied to one request field, before any
     * model ran.
     *
     * @param param the request field at fault, e.g. {@code dimensions}
     */
    public ExpertRejectedRequestException(String expertId, String param, String message) {
        super(expertId, message);
        this.status = 400;
        this.upstreamMessage = message;
        this.param = param;
    }

    /** The request field at fault, when the refusal names one. */
    public @Nullable String param() {
        return param;
    }

    public int status() {
        return status;
    }

    /** The upstream's own error message, shortened, when it gave one. */
    public String upstreamMessage() {
        return upstreamMessage;
    }
}
