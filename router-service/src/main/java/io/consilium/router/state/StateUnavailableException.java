package io.consilium.router.state;

/**
 * Shared state (Redis) could not be reached or did not answer in time, so a write was not made or a
 * read could not be served. A retry can help once Redis is back. The message names what was attempted
 * and the kind of failure, never the connection URL or its credentials.
 */
public final class StateUnavailableException extends RuntimeException {

    public StateUnavailableException(String attempted, Throwable cause) {
        super("Shared state (Redis) is unreachable: could not " + attempted + " (" + cause.getClass().getSimpleName()
                + ")", cause);
    }
}
