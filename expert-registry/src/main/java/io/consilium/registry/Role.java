package io.consilium.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an expert may be used for. */
public enum Role {
    EXPERT("expert"),
    AGGREGATOR("aggregator"),
    JUDGE("judge");

    private final String id;

    Role(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Role> fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.id.equals(wanted)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
