package io.consilium.router.auth;

import io.consilium.router.state.RefillableHash;
import io.consilium.router.state.StateUnavailableException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keys in a Redis hash ({@code consilium:keys}, id to JSON), and the generated admin key's hash in
 * {@code consilium:admin-key-hash}, set only if absent so that replicas starting together agree on one.
 *
 * <p>When Redis lost its data, every replica writes back the keys it holds ({@link RefillableHash}), a
 * revoked key over a live one (a revocation is final), and the generated admin key's hash it last read
 * or stored, if Redis has none: a replica starting later would otherwise generate another admin key.
 */
final class RedisApiKeyStore implements ApiKeyStore {

    private static final RefillableHash KEYS = new RefillableHash("consilium:keys");
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
    private final AtomicReference<String> adminKeyHashSeen = new AtomicReference<>();

    RedisApiKeyStore(StatefulRedisConnection<String, String> connection, JsonMapper json) {
        this.connection = connection;
        this.json = json;
    }

    @Override
    public void create(ApiKey key) {
        redis("store an API key", () -> connection.sync().hset(KEYS.key(), key.id(), json.writeValueAsString(key)));
    }

    @Override
    public Optional<ApiKey> find(String id) {
        return Optional.ofNullable(redis("read an API key", () -> connection.sync().hget(KEYS.key(), id))).map(this::read);
    }

    @Override
    public List<ApiKey> findAll() {
        return redis("read the API keys", () -> connection.sync().hvals(KEYS.key())).stream().map(this::read)
                .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id)).toList();
    }

    @Override
    public boolean update(ApiKey key) {
        Long replaced = redis("revoke an API key", () -> connection.sync().eval(REPLACE_IF_PRESENT, ScriptOutputType.INTEGER,
                new String[] {KEYS.key()}, key.id(), json.writeValueAsString(key)));
        return replaced == 1L;
    }

    @Override
    public Optional<String> generation() {
        return redis("check that Redis still holds the API keys", () -> KEYS.generation(connection.sync()));
    }

    @Override
    public String refill(String seen, Collection<ApiKey> held) {
        List<RefillableHash.Held> stored = held.stream()
                .map(key -> new RefillableHash.Held(key.id(), json.writeValueAsString(key), key.revoked()))
                .toList();
        return redis("refill the API keys", () -> {
            String current = KEYS.refill(connection.sync(), seen, stored);
            String adminKeyHash = adminKeyHashSeen.get();
            if (!current.equals(seen) && adminKeyHash != null) {
                connection.sync().setnx(ADMIN_KEY_HASH, adminKeyHash);
            }
            return current;
        });
    }

    @Override
    public Optional<String> generatedAdminKeyHash() {
        Optional<String> stored = Optional.ofNullable(redis("read the admin key hash",
                () -> connection.sync().get(ADMIN_KEY_HASH)));
        stored.ifPresent(adminKeyHashSeen::set);
        return stored;
    }

    @Override
    public boolean storeGeneratedAdminKeyHash(String hash) {
        boolean stored = Boolean.TRUE.equals(redis("store the admin key hash",
                () -> connection.sync().setnx(ADMIN_KEY_HASH, hash)));
        if (stored) {
            adminKeyHashSeen.set(hash);
        }
        return stored;
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
