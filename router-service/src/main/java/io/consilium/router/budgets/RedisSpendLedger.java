package io.consilium.router.budgets;

import io.consilium.router.state.RedisAccess;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Instant;
import java.util.List;

/**
 * Spending in Redis, one integer per account and period ({@code consilium:spend:<account>:<period>}), added to
 * with {@code INCRBY} by every replica, so they all count against one total. Each entry expires a day after
 * its period ends.
 */
final class RedisSpendLedger implements SpendLedger {

    private static final String PREFIX = "consilium:spend:";
    private static final String ADD = """
            for i, key in ipairs(KEYS) do
              redis.call('INCRBY', key, ARGV[1])
              redis.call('EXPIREAT', key, ARGV[i + 1])
            end
            return 0
            """;

    private final RedisAccess redis;

    RedisSpendLedger(StatefulRedisConnection<String, String> connection) {
        this.redis = new RedisAccess(connection);
    }

    @Override
    public long spent(String entry) {
        String spent = redis.call("read what a key spent", commands -> commands.get(PREFIX + entry));
        return spent == null ? 0 : Long.parseLong(spent);
    }

    @Override
    public void add(List<String> entries, List<Instant> forgetAfter, long nanoUsd) {
        String[] keys = entries.stream().map(entry -> PREFIX + entry).toArray(String[]::new);
        String[] args = new String[entries.size() + 1];
        args[0] = Long.toString(nanoUsd);
        for (int i = 0; i < forgetAfter.size(); i++) {
            args[i + 1] = Long.toString(forgetAfter.get(i).getEpochSecond());
        }
        redis.call("add to what a key spent",
                commands -> commands.<Long>eval(ADD, ScriptOutputType.INTEGER, keys, args));
    }
}
