package io.consilium.registry;

/** No expert has the given id. */
public final class ExpertNotFoundException extends RuntimeException {

    private final String expertId;

    public ExpertNotFoundException(String expertId) {
        super("no expert with id '" + expertId + "'");
        this.expertId = expertId;
    }

    public String expertId() {
        return expertId;
    }
}
