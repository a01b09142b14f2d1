package io.consilium.registry;

import org.jspecify.annotations.Nullable;

/** An expert definition that cannot be accepted; names the field and the rejected value. */
public final class InvalidExpertException extends IllegalArgumentException {

    private final String field;

    public InvalidExpertException(String field, @Nullable Object value, String reason) {
        super("expert field '" + field + "' " + reason + ", but was " + describe(value));
        this.field = field;
    }

    /** The configuration name of the offending field, e.g. {@code base-url} or {@code limits.timeout}. */
    public String field() {
        return field;
    }

    private static String describe(@Nullable Object value) {
        if (value == null) {
            return "missing";
        }
        if (value instanceof Secret) {
            return Secret.MASK;
        }
        return value instanceof CharSequence ? "'" + value + "'" : String.valueOf(value);
    }
}
