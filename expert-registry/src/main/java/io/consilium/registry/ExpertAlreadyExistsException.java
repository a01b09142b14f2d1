package io.consilium.registry;

/** An expert with the given id is already registered. */
public final class ExpertAlreadyExistsException extends RuntimeException {

    public ExpertAlreadyExistsException(String expertId) {
        super("an expert with id '" + expertId + "' already exists");
    }
}
