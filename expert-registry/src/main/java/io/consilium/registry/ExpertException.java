package io.consilium.registry;

import org.jspecify.annotations.Nullable;

/**
 * A call to an expert failed. Carries the expert id (never its credentials) and says whether
 * trying again can help; subclasses say why it failed.
 */
public class ExpertException extends RuntimeException {

    private final String expertId;

    public ExpertException(String expertId, String message) {
        this(expertId, message, null);
    }

    public ExpertException(String expertId, String message, @Nullable Throwable cause) {
        super("expert '" + expertId + "': " + message, cause);
        this.expertId = expertId;
    }

    public String expertId() {
        return expertId;
    }

    /** Whether the same call may succeed if repeated. */
    public boolean isRetriable() {
        return false;
    }

    /** Whether this failure says something about the expert's health (and so counts for its circuit). */
    public boolean isExpertFault() {
        return isRetriable();
    }
}
