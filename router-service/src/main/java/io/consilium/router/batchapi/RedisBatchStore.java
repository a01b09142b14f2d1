package io.consilium.router.batchapi;

import io.consilium.router.state.StateUnavailableException;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link BatchStore} in Redis, so that batches outlive the process that ran them and any replica can show
 * them. Keys:
 * <ul>
 *   <li>{@value #FILES} (hash): file id → file JSON; {@code consilium:batch-files:<id>:content} (string): its text</li>
 *   <li>{@value #BATCHES} (hash): batch id → batch JSON; {@value #CREATED} (sorted set by creation time) for
 *       listing; {@value #UNFINISHED} (set) for resuming</li>
 *   <li>{@code consilium:batches:<id>:results} (hash): line index → output line, and
 *       {@code consilium:batches:<id>:counts} (hash: completed, failed), written together by one script</li>
 *   <li>{@code consilium:batches:<id>:cancel} (string, set once): when cancelling was asked for</li>
 *   <li>{@code consilium:batches:<id>:lease} (string with expiry): the runner that holds the batch</li>
 * </ul>
 * Multi-key changes are Lua scripts: the command connection is shared, so MULTI would mix callers.
 */
final class RedisBatchStore implements BatchStore {

    static final String FILES = "consilium:batch-files";
    static final String BATCHES = "consilium:batches";
    static final String CREATED = "consilium:batches:created";
    static final String UNFINISHED = "consilium:batches:unfinished";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String SAVE_FILE = """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('SET', KEYS[2], ARGV[3])
            return 1
            """;
    private static final String SAVE_BATCH = """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
            if ARGV[4] == '1' then
              redis.call('SREM', KEYS[3], ARGV[1])
            else
              redis.call('SADD', KEYS[3], ARGV[1])
            end
            return 1
            """;
    private static final String PUT_RESULT = """
            if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
              redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
              return 1
            end
            return 0
            """;
    private static final String REQUEST_CANCEL = """
            redis.call('SET', KEYS[1], ARGV[1], 'NX')
            return redis.call('GET', KEYS[1])
            """;
    private static final String CLAIM = """
            local holder = redis.call('GET', KEYS[1])
            if holder == false or holder == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            return 0
            """;
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    private final StatefulRedisConnection<String, String> connection;

    RedisBatchStore(StatefulRedisConnection<String, String> connection) {
        this.connection = connection;
    }

    @Override
    public void saveFile(BatchFile file, String content) {
        String stored = JSON.writeValueAsString(file);
        call("save file '" + file.id() + "'", c -> c.<Long>eval(SAVE_FILE, ScriptOutputType.INTEGER,
                new String[] {FILES, contentKey(file.id())}, file.id(), stored, content));
    }

    @Override
    public Optional<BatchFile> findFile(String id) {
        return Optional.ofNullable(call("read file '" + id + "'", c -> c.hget(FILES, id)))
                .map(stored -> read(stored, BatchFile.class));
    }

    @Override
    public Optional<String> content(String fileId) {
        return Optional.ofNullable(call("read file '" + fileId + "'", c -> c.get(contentKey(fileId))));
    }

    @Override
    public void save(BatchRecord batch) {
        String stored = JSON.writeValueAsString(batch);
        call("save batch '" + batch.id() + "'", c -> c.<Long>eval(SAVE_BATCH, ScriptOutputType.INTEGER,
                new String[] {BATCHES, CREATED, UNFINISHED}, batch.id(), stored,
                Long.toString(batch.times().createdAt()), batch.status().isFinal() ? "1" : "0"));
    }

    @Override
    public Optional<BatchRecord> find(String id) {
        return Optional.ofNullable(call("read batch '" + id + "'", c -> c.hget(BATCHES, id)))
                .map(stored -> read(stored, BatchRecord.class));
    }

    @Override
    public List<BatchRecord> list(@Nullable String after, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<KeyValue<String, String>> stored = call("list batches", c -> {
            long from = 0;
            if (after != null) {
                Long rank = c.zrevrank(CREATED, after);
                if (rank == null) {
                    return List.<KeyValue<String, String>>of();
                }
                from = rank + 1;
            }
            List<String> ids = c.zrevrange(CREATED, from, from + limit - 1);
            return ids.isEmpty() ? List.<KeyValue<String, String>>of() : c.hmget(BATCHES, ids.toArray(String[]::new));
        });
        List<BatchRecord> batches = new ArrayList<>();
        for (KeyValue<String, String> batch : stored) {
            if (batch.hasValue()) {
                batches.add(read(batch.getValue(), BatchRecord.class));
            }
        }
        return batches;
    }

    @Override
    public List<String> unfinished() {
        Set<String> ids = call("list unfinished batches", c -> c.smembers(UNFINISHED));
        return ids.stream().sorted().toList();
    }

    @Override
    public Instant requestCancel(String batchId, Instant now) {
        String first = call("cancel batch '" + batchId + "'", c -> c.<String>eval(REQUEST_CANCEL, ScriptOutputType.VALUE,
                new String[] {key(batchId, "cancel")}, Long.toString(now.toEpochMilli())));
        return Instant.ofEpochMilli(Long.parseLong(first));
    }

    @Override
    public Optional<Instant> cancelRequested(String batchId) {
        return Optional.ofNullable(call("read batch '" + batchId + "'", c -> c.get(key(batchId, "cancel"))))
                .map(millis -> Instant.ofEpochMilli(Long.parseLong(millis)));
    }

    @Override
    public boolean putResult(String batchId, int line, boolean ok, String outputLine) {
        Long stored = call("store a result of batch '" + batchId + "'", c -> c.<Long>eval(PUT_RESULT,
                ScriptOutputType.INTEGER, new String[] {key(batchId, "results"), key(batchId, "counts")},
                Integer.toString(line), outputLine, ok ? "completed" : "failed"));
        return stored != null && stored == 1;
    }

    @Override
    public Map<Integer, String> results(String batchId) {
        Map<String, String> stored = call("read the results of batch '" + batchId + "'",
                c -> c.hgetall(key(batchId, "results")));
        Map<Integer, String> results = new TreeMap<>();
        stored.forEach((line, output) -> results.put(Integer.parseInt(line), output));
        return results;
    }

    @Override
    public Set<Integer> finishedLines(String batchId) {
        List<String> lines = call("read the results of batch '" + batchId + "'", c -> c.hkeys(key(batchId, "results")));
        return Set.copyOf(lines.stream().map(Integer::parseInt).toList());
    }

    @Override
    public Counts counts(String batchId) {
        Map<String, String> counts = call("read batch '" + batchId + "'", c -> c.hgetall(key(batchId, "counts")));
        return new Counts(Integer.parseInt(counts.getOrDefault("completed", "0")),
                Integer.parseInt(counts.getOrDefault("failed", "0")));
    }

    @Override
    public boolean claim(String batchId, String runner, Duration lease) {
        Long claimed = call("claim batch '" + batchId + "'", c -> c.<Long>eval(CLAIM, ScriptOutputType.INTEGER,
                new String[] {key(batchId, "lease")}, runner, Long.toString(Math.max(1, lease.toMillis()))));
        return claimed != null && claimed == 1;
    }

    @Override
    public void release(String batchId, String runner) {
        call("release batch '" + batchId + "'", c -> c.<Long>eval(RELEASE, ScriptOutputType.INTEGER,
                new String[] {key(batchId, "lease")}, runner));
    }

    private static String contentKey(String fileId) {
        return FILES + ":" + fileId + ":content";
    }

    private static String key(String batchId, String part) {
        return BATCHES + ":" + batchId + ":" + part;
    }

    private <T> T call(String attempted, Function<RedisCommands<String, String>, T> commands) {
        try {
            return commands.apply(connection.sync());
        } catch (RedisException e) {
            throw new StateUnavailableException(attempted, e);
        }
    }

    private static <T> T read(String stored, Class<T> type) {
        try {
            return JSON.readValue(stored, type);
        } catch (JacksonException e) {
            throw new IllegalStateException("a stored " + type.getSimpleName() + " cannot be read: "
                    + e.getOriginalMessage(), e);
        }
    }
}
