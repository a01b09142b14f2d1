package io.consilium.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an expert may be used for. */
public enum Role {
    EXPERT("expert"),
    AGGREGATOR("aggregator"),
    JUDGE("judge"),
    /**
     * Turns text into vectors on {@code /v1/embeddings}. An embedding expert serves nothing else: its model is an
     * embedding model, so the role is never combined with the chat roles.
     */
    EMBEDDING("embedding");

    private final String id;

    Role(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Whether the role answers chat requests (every role but {@link #EMBEDDING}). */
    public boolean isChat() {
        return this != EMBEDDING;
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
