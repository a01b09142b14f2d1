package io.consilium.registry;

/** The call was not attempted: the expert's circuit is open, it is at capacity, or it is disabled. */
public final class ExpertUnavailableException extends ExpertException {

    /** Why the call was not attempted. */
    public enum Reason {
        CIRCUIT_OPEN("circuit open after repeated failures"),
        AT_CAPACITY("at its concurrency limit"),
        DISABLED("disabled"),
        UNSUPPORTED("its provider cannot be called by this build");

        private final String description;

        Reason(String description) {
            this.description = description;
        }
    }

    private final Reason reason;

    public ExpertUnavailableException(String expertId, Reason reason) {
        super(expertId, "unavailable: " + reason.description);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
