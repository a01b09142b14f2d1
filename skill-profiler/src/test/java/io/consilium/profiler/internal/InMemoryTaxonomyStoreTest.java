package io.consilium.profiler.internal;

import io.consilium.profiler.TaxonomyStore;
import io.consilium.profiler.testing.TaxonomyStoreContract;

class InMemoryTaxonomyStoreTest extends TaxonomyStoreContract {

    @Override
    protected TaxonomyStore newEmptyStore() {
        return new InMemoryTaxonomyStore();
    }
}
