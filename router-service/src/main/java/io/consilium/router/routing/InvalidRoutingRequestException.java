package io.consilium.router.routing;

/** A routing option (or the part of the request routing reads) that is malformed or names nothing usable. */
public final class InvalidRoutingRequestException extends RoutingException {

    private final String field;

    public InvalidRoutingRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field at fault, e.g. {@code consilium.k}. */
    public String field() {
        return field;
    }
}
