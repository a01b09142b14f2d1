package io.consilium.registry.internal;

/**
 * A local model directory that cannot be used: a file is missing or unreadable, or the model does not
 * have the shape of a decoder. The message says what is wrong, for the person who set the model path.
 */
final class MalformedModelException extends Exception {

    MalformedModelException(String message) {
        super(message);
    }

    MalformedModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
