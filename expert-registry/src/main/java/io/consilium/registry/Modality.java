package io.consilium.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A kind of input an expert accepts. */
public enum Modality {
    TEXT("text"),
    IMAGE("image");

    private final String id;

    Modality(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Modality> fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.id.equals(wanted)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
