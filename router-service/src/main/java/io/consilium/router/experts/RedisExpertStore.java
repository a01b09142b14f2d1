package io.consilium.router.experts;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertStore;
import io.consilium.router.state.RedisAccess;
import io.consilium.router.state.RefillableHash;
import io.consilium.router.state.ReplicaSource;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Experts in one Redis hash, {@value #EXPERTS}: id to the {@link ExpertCodec} JSON (api keys sealed),
 * refilled by the replicas when Redis lost it ({@link RefillableHash}). Create is {@code HSETNX} and update
 * a Lua check-and-set, so both are atomic across replicas. Reads go to Redis every time; the service reads
 * through a {@link ReplicatedExpertStore} instead.
 */
public final class RedisExpertStore implements ExpertStore, ReplicaSource<Expert> {

    public static final String EXPERTS = "consilium:experts";
    private static final RefillableHash HASH = new RefillableHash(EXPERTS);
    private static final String UPDATE_IF_PRESENT = """
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
              return 1
            end
            return 0
            """;

    private final RedisAccess redis;
    private final ExpertCodec codec;

    public RedisExpertStore(StatefulRedisConnection<String, String> connection, ExpertCodec codec) {
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
        return redis.call("delete expert '" + id + "'", c -> HASH.delete(c, id));
    }

    @Override
    public Optional<String> generation() {
        return redis.call("check that Redis still holds the experts", HASH::generation);
    }

    @Override
    public String refill(String seen, Collection<Expert> held) {
        List<RefillableHash.Held> stored = held.stream()
                .map(expert -> RefillableHash.Held.ifAbsent(expert.id(), codec.write(expert)))
                .toList();
        return redis.call("refill the experts", c -> HASH.refill(c, seen, stored));
    }
}
