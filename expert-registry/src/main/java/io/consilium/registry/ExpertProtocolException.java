package io.consilium.registry;

import org.jspecify.annotations.Nullable;

/** The expert answered, but not in a shape we understand. */
public final class ExpertProtocolException extends ExpertException {

    public ExpertProtocolException(String expertId, String message, @Nullable Throwable cause) {
        super(expertId, message, cause);
    }

    @Override
    public boolean isExpertFault() {
        return true;
    }
}
