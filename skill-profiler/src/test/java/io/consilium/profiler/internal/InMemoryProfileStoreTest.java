package io.consilium.profiler.internal;

import io.consilium.profiler.ProfileStore;
import io.consilium.profiler.testing.ProfileStoreContract;
import java.time.Clock;

class InMemoryProfileStoreTest extends ProfileStoreContract {

    @Override
    protected ProfileStore newEmptyStore(Clock clock) {
        return new InMemoryProfileStore(clock);
    }
}
