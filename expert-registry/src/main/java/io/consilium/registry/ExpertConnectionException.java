package io.consilium.registry;

/** The expert could not be reached, or the connection broke before an answer. */
public final class ExpertConnectionException extends RetriableExpertException {

    public ExpertConnectionException(String expertId, String message, Throwable cause) {
        super(expertId, message, cause);
    }
}
