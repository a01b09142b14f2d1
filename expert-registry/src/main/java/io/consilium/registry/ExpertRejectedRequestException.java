package io.consilium.registry;

/**
 * The expert refused the request itself (a 4xx other than 429): repeating it will not help, and it
 * says nothing about the expert's health.
 */
public final class ExpertRejectedRequestException extends ExpertException {

    private final int status;
    private final String upstreamMessage;

    public ExpertRejectedRequestException(String expertId, int status, String upstreamMessage) {
        super(expertId, "upstream rejected the request with " + status
                + (upstreamMessage.isEmpty() ? "" : ": " + upstreamMessage));
        this.status = status;
        this.upstreamMessage = upstreamMessage;
    }

    public int status() {
        return status;
    }

    /** The upstream's own error message, shortened, when it gave one. */
    public String upstreamMessage() {
        return upstreamMessage;
    }
}
