package io.consilium.router.state;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertStore;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Experts in one Redis hash, {@value #EXPERTS}: id to the {@link ExpertCodec} JSON (api keys sealed).
 * Create is {@code HSETNX} and update a Lua check-and-set, so both are atomic across replicas. Reads go
 * to Redis every time; the service reads through a {@link ReplicatedExpertStore} instead.
 */
public final class RedisExpertStore implements ExpertStore, ReplicaSource<Expert> {

    static final String EXPERTS = "consilium:experts";
    /** Set once the hash is known to hold the catalogue; missing after Redis restarted empty. */
    static final String MARKER = "consilium:experts:initialised";
    private static final String UPDATE_IF_PRESENT = """
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
              return 1
            end
            return 0
            """;

    private final RedisAccess redis;
    private final ExpertCodec codec;

    RedisExpertStore(StatefulRedisConnection<String, String> connection, ExpertCodec codec) {
        this.redis = new RedisAccess(connection);
        this.codec = codec;
    }

    @Override
    public Optional<Expert> find(String id) {
        return Optional.ofNullable(redis.call("read expert '" + id + "'", c -> c.hget(EXPERTS, id))).map(codec::read);
    }

    @Override
    public List<Expert> findAll() {
        return redis.call("read the experts", c -> c.hvals(EXPERTS)).stream()
                .map(codec::read)
                .sorted(Comparator.comparing(Expert::id))
                .toList();
    }

    @Override
    public boolean create(Expert expert) {
        String stored = codec.write(expert);
        return redis.call("store expert '" + expert.id() + "'", c -> c.hsetnx(EXPERTS, expert.id(), stored));
    }

    @Override
    public boolean update(Expert expert) {
        String stored = codec.write(expert);
        Long updated = redis.call("update expert '" + expert.id() + "'", c -> c.<Long>eval(UPDATE_IF_PRESENT,
                ScriptOutputType.INTEGER, new String[] {EXPERTS}, expert.id(), stored));
        return updated != null && updated == 1;
    }

    @Override
    public void put(Expert expert) {
        String stored = codec.write(expert);
        redis.call("store expert '" + expert.id() + "'", c -> c.hset(EXPERTS, expert.id(), stored));
    }

    @Override
    public boolean delete(String id) {
        Long removed = redis.call("delete expert '" + id + "'", c -> c.hdel(EXPERTS, id));
        return removed != null && removed > 0;
    }

    @Override
    public boolean restoreIfLost(Collection<Expert> items) {
        return redis.call("restore the experts", c -> {
            if (c.exists(MARKER) > 0) {
                return false;
            }
            for (Expert expert : items) {
                c.hsetnx(EXPERTS, expert.id(), codec.write(expert));
            }
            c.set(MARKER, "1");
            return true;
        });
    }
}
