package io.consilium.profiler;

import org.jspecify.annotations.Nullable;

/**
 * A taxonomy change that cannot be made; {@link #kind()} says whether it is bad input, unknown or a
 * conflict, and {@link #field()} which input was bad, when one was.
 */
public final class TaxonomyException extends RuntimeException {

    /** Why the change was refused. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT }

    private final Kind kind;
    private final @Nullable String field;

    public TaxonomyException(Kind kind, String message) {
        this(kind, null, message);
    }

    /** @param field the input at fault as callers name it ({@code exemplars}), or null */
    public TaxonomyException(Kind kind, @Nullable String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    public @Nullable String field() {
        return field;
    }
}
