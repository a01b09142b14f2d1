package io.consilium.router.auth;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** Keys of a single process (store {@code memory}); gone on restart. */
final class InMemoryApiKeyStore implements ApiKeyStore {

    /** The process holds the only copy, which cannot be lost while the process runs. */
    private static final String ONLY_GENERATION = "this-process";

    private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();
    private final AtomicReference<String> adminKeyHash = new AtomicReference<>();

    @Override
    public void create(ApiKey key) {
        keys.put(key.id(), key);
    }

    @Override
    public Optional<ApiKey> find(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public List<ApiKey> findAll() {
        return keys.values().stream().sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id)).toList();
    }

    @Override
    public boolean update(ApiKey key) {
        return keys.replace(key.id(), key) != null;
    }

    @Override
    public Optional<String> generation() {
        return Optional.of(ONLY_GENERATION);
    }

    @Override
    public String refill(String seen, Collection<ApiKey> held) {
        return ONLY_GENERATION;
    }

    @Override
    public Optional<String> generatedAdminKeyHash() {
        return Optional.ofNullable(adminKeyHash.get());
    }

    @Override
    public boolean storeGeneratedAdminKeyHash(String hash) {
        return adminKeyHash.compareAndSet(null, hash);
    }
}
