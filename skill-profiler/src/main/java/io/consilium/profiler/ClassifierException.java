package io.consilium.profiler;

/** A classifier could not be built or run: a missing or malformed model file, a failed inference. */
public final class ClassifierException extends RuntimeException {

    public ClassifierException(String message) {
        super(message);
    }

    public ClassifierException(String message, Throwable cause) {
        super(message, cause);
    }
}
