package io.consilium.profiler;

/** A taxonomy change that cannot be made; {@link #kind()} says whether it is bad input, unknown or a conflict. */
public final class TaxonomyException extends RuntimeException {

    /** Why the change was refused. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT }

    private final Kind kind;

    public TaxonomyException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
