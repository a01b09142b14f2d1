package io.consilium.router.auth;

import io.consilium.router.state.StateUnavailableException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Buckets in Redis, updated by one Lua script so that every replica takes from the same bucket
 * atomically; the script reads Redis's own clock so replicas with skewed clocks still agree.
 */
final class RedisRateLimiter implements RateLimiter {

    private static final String SCRIPT = """
            local capacity = tonumber(ARGV[1])
            local cost = tonumber(ARGV[2])
            local always = ARGV[3] == '1'
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(state[1])
            local at = tonumber(state[2])
            if tokens == nil then
              tokens = capacity
              at = now
            end
            tokens = math.min(capacity, tokens + (now - at) * capacity / 60000)
            local wait = 0
            if always or tokens >= cost then
              tokens = tokens - cost
            else
              wait = math.ceil((cost - tokens) * 60000 / capacity)
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
            redis.call('PEXPIRE', KEYS[1], 120000)
            return wait
            """;

    private final StatefulRedisConnection<String, String> connection;
    private volatile String sha;

    RedisRateLimiter(StatefulRedisConnection<String, String> connection) {
        this.connection = connection;
    }

    @Override
    public long tryTake(String bucket, int perMinute, long cost) {
        return run(bucket, perMinute, cost, false);
    }

    @Override
    public void charge(String bucket, int perMinute, long cost) {
        run(bucket, perMinute, cost, true);
    }

    private long run(String bucket, int perMinute, long cost, boolean always) {
        String[] keys = {"consilium:rate:" + bucket};
        String[] args = {Integer.toString(perMinute), Long.toString(cost), always ? "1" : "0"};
        try {
            if (sha == null) {
                sha = connection.sync().scriptLoad(SCRIPT);
            }
            try {
                return connection.sync().<Long>evalsha(sha, ScriptOutputType.INTEGER, keys, args);
            } catch (io.lettuce.core.RedisNoScriptException flushed) {
                // Redis restarted and forgot the script.
                sha = connection.sync().scriptLoad(SCRIPT);
                return connection.sync().<Long>evalsha(sha, ScriptOutputType.INTEGER, keys, args);
            }
        } catch (RedisException e) {
            throw new StateUnavailableException("check a rate limit", e);
        }
    }
}
