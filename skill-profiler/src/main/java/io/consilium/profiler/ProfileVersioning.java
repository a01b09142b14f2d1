package io.consilium.profiler;

import java.time.Instant;

/** Stamps a changed profile with the next version; shared by every {@link ProfileStore}. */
public final class ProfileVersioning {

    private ProfileVersioning() {}

    public static ExpertProfile next(ExpertProfile before, ExpertProfile after, Instant at) {
        return after.stored(before.version() + 1, at);
    }
}
