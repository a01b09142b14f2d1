package io.consilium.aggregator;

import java.util.Arrays;
import java.util.Optional;

/** How the answers of several experts become one. */
public enum FusionMode {
    /** An aggregator model writes one answer from all of them. */
    SYNTHESIZE("synthesize"),
    /** The competence-weighted majority of final answers. */
    VOTE("vote"),
    /** The answer of the best-scoring expert. */
    BEST("best"),
    /** One expert, nothing to fuse. */
    NONE("none");

    private final String id;

    FusionMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Modes a request may ask for. */
    public static Optional<FusionMode> requestable(String id) {
        return Arrays.stream(values()).filter(mode -> mode != NONE && mode.id.equals(id)).findFirst();
    }
}
