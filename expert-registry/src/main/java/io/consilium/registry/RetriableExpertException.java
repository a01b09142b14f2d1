package io.consilium.registry;

import org.jspecify.annotations.Nullable;

/** A failure that a later attempt may not meet: overload, a server error, a lost connection. */
public class RetriableExpertException extends ExpertException {

    public RetriableExpertException(String expertId, String message, @Nullable Throwable cause) {
        super(expertId, message, cause);
    }

    @Override
    public final boolean isRetriable() {
        return true;
    }
}
