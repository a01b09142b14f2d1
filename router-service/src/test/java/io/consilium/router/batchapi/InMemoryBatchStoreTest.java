package io.consilium.router.batchapi;

class InMemoryBatchStoreTest extends BatchStoreContract {

    @Override
    protected BatchStore newEmptyStore() {
        return BatchStore.inMemory();
    }
}
