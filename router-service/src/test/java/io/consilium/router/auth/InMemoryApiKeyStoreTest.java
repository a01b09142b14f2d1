package io.consilium.router.auth;

class InMemoryApiKeyStoreTest extends ApiKeyStoreContract {

    @Override
    protected ApiKeyStore newEmptyStore() {
        return new InMemoryApiKeyStore();
    }
}
