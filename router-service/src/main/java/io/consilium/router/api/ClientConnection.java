package io.consilium.router.api;

/** The network connection a request came in on, as far as the server lets the application see it. */
@FunctionalInterface
public interface ClientConnection {

    /** A connection whose state cannot be observed; it never reports the client gone. */
    ClientConnection UNOBSERVABLE = () -> false;

    /**
     * True once the client has closed its side. Must not consume request bytes and must only be called
     * while nothing else reads from the connection.
     */
    boolean isClosedByClient();
}
