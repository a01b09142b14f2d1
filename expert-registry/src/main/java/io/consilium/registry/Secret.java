package io.consilium.registry;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * A provider credential. Its {@link #toString()} is masked so that a secret cannot reach a log line,
 * a response or an exception message by accident; only {@link #reveal()} gives the value.
 */
public final class Secret {

    /** What every response shows in place of a secret. */
    public static final String MASK = "********";

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("a secret must not be blank");
        }
        return new Secret(value);
    }

    /** The clear value, for the one place that sends it upstream. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), secret.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
