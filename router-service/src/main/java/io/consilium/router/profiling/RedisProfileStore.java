package io.consilium.router.profiling;

import io.consilium.profiler.ExpertProfile;
import io.consilium.profiler.ProfileStore;
import io.consilium.profiler.ProfileVersioning;
import io.consilium.router.state.RedisAccess;
import io.consilium.router.state.RefillableHash;
import io.consilium.router.state.ReplicaSource;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Profiles in one Redis hash, {@value #PROFILES}: expert id to {@link ProfileCodec} JSON, refilled by the
 * replicas when Redis lost it ({@link RefillableHash}). An update is an optimistic read-modify-write: read
 * the stored value, apply the change here, and store the result with a Lua script only if the stored value
 * is still the one read; otherwise read again. The change is a Java function, so it cannot run inside
 * Redis, and MULTI/WATCH cannot be used on a shared connection.
 */
public final class RedisProfileStore implements ProfileStore, ReplicaSource<ExpertProfile> {

    public static final String PROFILES = "consilium:profiles";
    private static final RefillableHash HASH = new RefillableHash(PROFILES);
    /** Enough for heavy contention on one profile; reaching it means something keeps rewriting it. */
    private static final int MAX_ATTEMPTS = 100;
    private static final String SET_IF_UNCHANGED = """
            local stored = redis.call('HGET', KEYS[1], ARGV[1])
            if (ARGV[2] == '0' and stored == false) or (ARGV[2] == '1' and stored == ARGV[3]) then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
              return 1
            end
            return 0
            """;

    private final RedisAccess redis;
    private final ProfileCodec codec = new ProfileCodec();
    private final Clock clock;

    public RedisProfileStore(StatefulRedisConnection<String, String> connection, Clock clock) {
        this.redis = new RedisAccess(connection);
        this.clock = clock;
    }

    @Override
    public Optional<ExpertProfile> find(String expertId) {
        return Optional.ofNullable(redis.call("read the profile of '" + expertId + "'", c -> c.hget(PROFILES, expertId)))
                .map(codec::read);
    }

    @Override
    public List<ExpertProfile> findAll() {
        return redis.call("read the profiles", c -> c.hvals(PROFILES)).stream()
                .map(codec::read)
                .sorted(Comparator.comparing(ExpertProfile::expertId))
                .toList();
    }

    @Override
    public ExpertProfile update(String expertId, UnaryOperator<ExpertProfile> change) {
        String attempted = "update the profile of '" + expertId + "'";
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String before = redis.call(attempted, c -> c.hget(PROFILES, expertId));
            ExpertProfile current = before == null ? ExpertProfile.empty(expertId) : codec.read(before);
            ExpertProfile next = ProfileVersioning.next(current, change.apply(current), clock.instant());
            String after = codec.write(next);
            Long stored = redis.call(attempted, c -> c.<Long>eval(SET_IF_UNCHANGED, ScriptOutputType.INTEGER,
                    new String[] {PROFILES}, expertId, before == null ? "0" : "1", before == null ? "" : before, after));
            if (stored != null && stored == 1) {
                return next;
            }
        }
        throw new IllegalStateException("the profile of '" + expertId + "' changed under every one of "
                + MAX_ATTEMPTS + " attempts to update it");
    }

    @Override
    public void delete(String expertId) {
        redis.call("delete the profile of '" + expertId + "'", c -> HASH.delete(c, expertId));
    }

    @Override
    public Optional<String> generation() {
        return redis.call("check that Redis still holds the profiles", HASH::generation);
    }

    @Override
    public String refill(String seen, Collection<ExpertProfile> held) {
        List<RefillableHash.Held> stored = held.stream()
                .map(profile -> RefillableHash.Held.ifAbsent(profile.expertId(), codec.write(profile)))
                .toList();
        return redis.call("refill the profiles", c -> HASH.refill(c, seen, stored));
    }
}
