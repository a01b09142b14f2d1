package io.consilium.registry;

import io.consilium.registry.internal.InMemoryExpertStore;

/** Factories for the built-in {@link ExpertStore}s. */
public final class ExpertStores {

    private ExpertStores() {}

    /** A store that keeps experts in this process only. */
    public static ExpertStore inMemory() {
        return new InMemoryExpertStore();
    }
}
