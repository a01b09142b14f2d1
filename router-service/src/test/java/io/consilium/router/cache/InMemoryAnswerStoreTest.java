package io.consilium.router.cache;

/** The answer store contract in this process. */
class InMemoryAnswerStoreTest extends AnswerStoreContract {

    @Override
    protected AnswerStore newEmptyStore() {
        return new InMemoryAnswerStore(1000, MAX_PER_PARTITION, TTL, now::get);
    }
}
