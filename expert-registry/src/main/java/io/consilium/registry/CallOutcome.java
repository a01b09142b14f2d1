package io.consilium.registry;

import java.util.Arrays;
import java.util.Optional;

/**
 * How one call to an expert ended. The {@link #tag()} is what the expert-call meters, the {@code consilium}
 * object of responses and batch outputs carry; tags never change once published.
 */
public enum CallOutcome {

    /** The expert answered, or its stream ended normally. */
    OK("ok"),
    /** No answer within the deadline. */
    TIMEOUT("timeout"),
    /** The upstream answered 429, or the wait its last 429 asked for still holds. */
    RATE_LIMITED("rate_limited"),
    /** Not attempted: the expert's circuit is open, it is at capacity, disabled or not supported. */
    UNAVAILABLE("unavailable"),
    /** The expert refused the request itself (a 4xx other than 429). */
    REJECTED("rejected"),
    /** Not attempted: the expert's address is refused by the egress policy. */
    FORBIDDEN("forbidden"),
    /** The expert failed: a server error, a lost connection, an answer we cannot read, a local model failure. */
    UPSTREAM_ERROR("upstream_error"),
    /** The caller stopped the call, or dropped its answer, because its own client hung up. */
    CLIENT_GONE("client_gone"),
    /** An unexpected exception inside this service's client code: a bug to look at, not a fault of the expert. */
    CLIENT_FAILURE("client_failure");

    private final String tag;

    CallOutcome(String tag) {
        this.tag = tag;
    }

    /** The name in metrics and responses. */
    public String tag() {
        return tag;
    }

    /** The outcome with this tag, if there is one. */
    public static Optional<CallOutcome> fromTag(String tag) {
        return Arrays.stream(values()).filter(outcome -> outcome.tag.equals(tag)).findFirst();
    }

    /**
     * The outcome of a call that failed with this exception. Every kind of {@link ExpertException} has its own
     * case; anything else escaped a client unexpectedly and is {@link #CLIENT_FAILURE}, never taken for a
     * client that left.
     */
    public static CallOutcome of(Throwable failure) {
        return switch (failure) {
            case ExpertException expertFailure -> ofExpertFailure(expertFailure);
            case InterruptedException interrupted -> CLIENT_GONE;
            case Throwable unexpected -> CLIENT_FAILURE;
        };
    }

    /**
     * The outcome of a call that failed on the calling thread, read on that thread. Callers interrupt the
     * thread of a call to stop it (their client hung up, or their deadline passed), and the client then throws
     * whatever the interrupt made of its wait: an interrupted call takes the reason its caller gave
     * ({@link CallStop}), {@link #CLIENT_GONE} when it gave none.
     */
    public static CallOutcome ofCallOnThisThread(Throwable failure) {
        return Thread.currentThread().isInterrupted() ? CallStop.reasonOnThisThread() : of(failure);
    }

    private static CallOutcome ofExpertFailure(ExpertException failure) {
        return switch (failure) {
            case ExpertTimeoutException timeout -> TIMEOUT;
            case ExpertRateLimitedException limited -> RATE_LIMITED;
            case ExpertUnavailableException unavailable -> UNAVAILABLE;
            case ExpertRejectedRequestException rejected -> REJECTED;
            case ExpertForbiddenException forbidden -> FORBIDDEN;
            case ExpertServerException server -> UPSTREAM_ERROR;
            case ExpertConnectionException connection -> UPSTREAM_ERROR;
            case ExpertProtocolException protocol -> UPSTREAM_ERROR;
            case LocalModelException local -> UPSTREAM_ERROR;
            // Thrown as it is where nothing more specific is known, e.g. a batch that failed as a whole.
            case ExpertException unspecific -> UPSTREAM_ERROR;
        };
    }

    @Override
    public String toString() {
        return tag;
    }
}
