package io.consilium.profiler.internal;

import io.consilium.profiler.ProfilingJobStore;
import io.consilium.profiler.testing.ProfilingJobStoreContract;

class InMemoryProfilingJobStoreTest extends ProfilingJobStoreContract {

    @Override
    protected ProfilingJobStore newEmptyStore(int capacity) {
        return new InMemoryProfilingJobStore(capacity);
    }
}
