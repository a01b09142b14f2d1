package io.consilium.router.batchapi;

/** Where a batch is in its life, with OpenAI's names. */
enum BatchStatus {
    VALIDATING("validating", false),
    IN_PROGRESS("in_progress", false),
    FINALIZING("finalizing", false),
    COMPLETED("completed", true),
    FAILED("failed", true),
    /** Only shown: a batch whose cancellation was asked for and has not stopped yet. */
    CANCELLING("cancelling", false),
    CANCELLED("cancelled", true);

    private final String id;
    private final boolean isFinal;

    BatchStatus(String id, boolean isFinal) {
        this.id = id;
        this.isFinal = isFinal;
    }

    String id() {
        return id;
    }

    /** Nothing more happens to a batch in a final status. */
    boolean isFinal() {
        return isFinal;
    }
}
