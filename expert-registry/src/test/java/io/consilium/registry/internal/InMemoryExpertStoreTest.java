package io.consilium.registry.internal;

import io.consilium.registry.ExpertStore;
import io.consilium.registry.ExpertStores;
import io.consilium.registry.testing.ExpertStoreContract;

class InMemoryExpertStoreTest extends ExpertStoreContract {

    @Override
    protected ExpertStore newEmptyStore() {
        return ExpertStores.inMemory();
    }
}
