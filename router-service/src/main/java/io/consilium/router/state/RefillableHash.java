package io.consilium.router.state;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A keyed set in one Redis hash that replicas can refill after Redis lost its data (a restart without
 * persistence, a {@code FLUSHALL}), with two keys beside it:
 * <ul>
 *   <li>{@code <hash>:initialised}, the generation: a random id set when the set starts and again when it
 *       starts over after a loss. A replica that last saw another generation knows the set was lost since,
 *       whoever noticed first.</li>
 *   <li>{@code <hash>:deleted}, the ids deleted on purpose in the current generation, so that a replica
 *       refilling late never brings one back.</li>
 * </ul>
 * Every replica that finds the generation changed writes back what it holds, so replicas refilling
 * together, or one after the other, or after a new replica started on the empty Redis, end with the
 * union of what they held. Each step is one Lua script: the command connection is shared.
 */
public final class RefillableHash {

    private static final String REFILL = """
            local current = redis.call('GET', KEYS[2])
            if current == ARGV[1] then
              return current
            end
            if not current then
              current = ARGV[2]
              redis.call('SET', KEYS[2], current)
              redis.call('DEL', KEYS[3])
            end
            for i = 3, #ARGV, 3 do
              if redis.call('SISMEMBER', KEYS[3], ARGV[i]) == 0 then
                if ARGV[i + 2] == '1' then
                  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
                else
                  redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
                end
              end
            end
            return current
            """;
    private static final String DELETE = """
            local removed = redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('SADD', KEYS[2], ARGV[1])
            return removed
            """;

    private final String hash;
    private final String generation;
    private final String deleted;

    /** @param hash the key of the hash; the other two keys are named after it */
    public RefillableHash(String hash) {
        this.hash = hash;
        this.generation = hash + ":initialised";
        this.deleted = hash + ":deleted";
    }

    /** The key of the hash itself. */
    public String key() {
        return hash;
    }

    /** The current generation; empty when the set was lost and nobody has noticed yet. */
    public Optional<String> generation(RedisCommands<String, String> redis) {
        return Optional.ofNullable(redis.get(generation));
    }

    /**
     * Writes back what a replica holds if the set was lost since the replica last saw it, and returns the
     * current generation, starting one if there is none. Nothing is written while the generation is still
     * {@code seen}; {@code seen} is empty for a replica that has never looked.
     */
    public String refill(RedisCommands<String, String> redis, String seen, List<Held> held) {
        List<String> args = new ArrayList<>(2 + 3 * held.size());
        args.add(seen);
        args.add(UUID.randomUUID().toString());
        for (Held item : held) {
            args.add(item.id());
            args.add(item.value());
            args.add(item.overwrite() ? "1" : "0");
        }
        return redis.eval(REFILL, ScriptOutputType.VALUE, new String[] {hash, generation, deleted},
                args.toArray(String[]::new));
    }

    /** Deletes an item on purpose: no replica will write it back in this generation. Returns whether it was there. */
    public boolean delete(RedisCommands<String, String> redis, String id) {
        Long removed = redis.eval(DELETE, ScriptOutputType.INTEGER, new String[] {hash, deleted}, id);
        return removed != null && removed > 0;
    }

    /**
     * An item a replica holds, in its stored form.
     *
     * @param overwrite whether it replaces what Redis holds under its id (a revocation, which is final)
     *     instead of being written only where the id is absent
     */
    public record Held(String id, String value, boolean overwrite) {

        public static Held ifAbsent(String id, String value) {
            return new Held(id, value, false);
        }
    }
}
