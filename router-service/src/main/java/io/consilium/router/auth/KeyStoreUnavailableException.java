package io.consilium.router.auth;

/** The shared key store (Redis) could not be reached; the cause's message never carries a password. */
final class KeyStoreUnavailableException extends RuntimeException {

    KeyStoreUnavailableException(Throwable cause) {
        super("the key store (Redis) is unreachable: " + cause.getClass().getSimpleName(), cause);
    }
}
