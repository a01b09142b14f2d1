package io.consilium.router.auth;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keys in a Redis hash ({@code consilium:keys}, id to JSON), and the generated admin key's hash in
 * {@code consilium:admin-key-hash}, set only if absent so that replicas starting together agree on one.
 */
final class RedisApiKeyStore implements ApiKeyStore {

    private static final String KEYS = "consilium:keys";
    private static final String ADMIN_KEY_HASH = "consilium:admin-key-hash";

    private final StatefulRedisConnection<String, String> connection;
    private final JsonMapper json;

    RedisApiKeyStore(StatefulRedisConnection<String, String> connection, JsonMapper json) {
        this.connection = connection;
        this.json = json;
    }

    @Override
    public void create(ApiKey key) {
        redis(() -> connection.sync().hset(KEYS, key.id(), json.writeValueAsString(key)));
    }

    @Override
    public Optional<ApiKey> find(String id) {
        return Optional.ofNullable(redis(() -> connection.sync().hget(KEYS, id))).map(this::read);
    }

    @Override
    public List<ApiKey> findAll() {
        return redis(() -> connection.sync().hvals(KEYS)).stream().map(this::read)
                .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id)).toList();
    }

    @Override
    public boolean update(ApiKey key) {
        // HSET on an existing field answers false; only replace a key that is there.
        return redis(() -> {
            RedisCommands<String, String> commands = connection.sync();
            if (!commands.hexists(KEYS, key.id())) {
                return false;
            }
            commands.hset(KEYS, key.id(), json.writeValueAsString(key));
            return true;
        });
    }

    @Override
    public Optional<String> generatedAdminKeyHash() {
        return Optional.ofNullable(redis(() -> connection.sync().get(ADMIN_KEY_HASH)));
    }

    @Override
    public boolean storeGeneratedAdminKeyHash(String hash) {
        return Boolean.TRUE.equals(redis(() -> connection.sync().setnx(ADMIN_KEY_HASH, hash)));
    }

    private ApiKey read(String stored) {
        return json.readValue(stored, ApiKey.class);
    }

    private static <T> T redis(Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            throw new KeyStoreUnavailableException(e);
        }
    }
}
