package io.consilium.registry;

import org.jspecify.annotations.Nullable;

/**
 * A local ONNX expert could not load or run its model: damaged files, a model larger than the memory
 * budget, or an inference failure. Repeating the call will not help; it counts against the expert's
 * health.
 */
public final class LocalModelException extends ExpertException {

    public LocalModelException(String expertId, String message, @Nullable Throwable cause) {
        super(expertId, message, cause);
    }

    @Override
    public boolean isExpertFault() {
        return true;
    }
}
