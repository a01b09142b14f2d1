package io.consilium.router.batch;

class InMemoryBatchStoreTest extends BatchStoreContract {

    @Override
    protected BatchStore newEmptyStore() {
        return BatchStore.inMemory();
    }
}
