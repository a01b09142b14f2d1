package io.consilium.router.auth;

import io.consilium.router.state.StateUnavailableException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
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
    private static final String REPLACE_IF_PRESENT = """
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
              return 1
            end
            return 0
            """;

    private final StatefulRedisConnection<String, String> connection;
    private final JsonMapper json;

    RedisApiKeyStore(StatefulRedisConnection<String, String> connection, JsonMapper json) {
        this.connection = connection;
        this.json = json;
    }

    @Override
    public void create(ApiKey key) {
        redis("store an API key", () -> connection.sync().hset(KEYS, key.id(), json.writeValueAsString(key)));
    }

    @Override
    public Optional<ApiKey> find(String id) {
        return Optional.ofNullable(redis("read an API key", () -> connection.sync().hget(KEYS, id))).map(this::read);
    }

    @Override
    public List<ApiKey> findAll() {
        return redis("read the API keys", () -> connection.sync().hvals(KEYS)).stream().map(this::read)
                .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id)).toList();
    }

    @Override
    public boolean update(ApiKey key) {
        Long replaced = redis("revoke an API key", () -> connection.sync().eval(REPLACE_IF_PRESENT, ScriptOutputType.INTEGER,
                new String[] {KEYS}, key.id(), json.writeValueAsString(key)));
        return replaced == 1L;
    }

    @Override
    public Optional<String> generatedAdminKeyHash() {
        return Optional.ofNullable(redis("read the admin key hash", () -> connection.sync().get(ADMIN_KEY_HASH)));
    }

    @Override
    public boolean storeGeneratedAdminKeyHash(String hash) {
        return Boolean.TRUE.equals(redis("store the admin key hash", () -> connection.sync().setnx(ADMIN_KEY_HASH, hash)));
    }

    private ApiKey read(String stored) {
        return json.readValue(stored, ApiKey.class);
    }

    private static <T> T redis(String attempted, Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            throw new StateUnavailableException(attempted, e);
        }
    }
}
