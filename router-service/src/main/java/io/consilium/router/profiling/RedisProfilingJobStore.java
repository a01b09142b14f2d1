package io.consilium.router.profiling;

import io.consilium.profiler.ProfilingJobStatus;
import io.consilium.profiler.ProfilingJobStore;
import io.consilium.router.state.RedisAccess;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Profiling job snapshots, so that a job's status can be read on any replica and outlives the one that
 * ran it: JSON in the hash {@value #JOBS}, ordered by start time in the sorted set {@value #STARTED}
 * (not yet started: score -1, listed last), and the finished ones by finish time in {@value #FINISHED}.
 * Saving is one Lua script that also drops the oldest finished jobs beyond the capacity; running jobs
 * are never dropped, as in the in-memory store.
 */
public final class RedisProfilingJobStore implements ProfilingJobStore {

    static final String JOBS = "consilium:profiling-jobs";
    static final String STARTED = "consilium:profiling-jobs:started";
    static final String FINISHED = "consilium:profiling-jobs:finished";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SAVE = """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
            if ARGV[4] == '' then
              redis.call('ZREM', KEYS[3], ARGV[1])
            else
              redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
            end
            local excess = redis.call('HLEN', KEYS[1]) - tonumber(ARGV[5])
            if excess > 0 then
              for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, excess - 1)) do
                redis.call('HDEL', KEYS[1], id)
                redis.call('ZREM', KEYS[2], id)
                redis.call('ZREM', KEYS[3], id)
              end
            end
            return 1
            """;

    private final RedisAccess redis;
    private final int capacity;

    RedisProfilingJobStore(StatefulRedisConnection<String, String> connection, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("consilium.profiling.keep-jobs must be at least 1, but was " + capacity);
        }
        this.redis = new RedisAccess(connection);
        this.capacity = capacity;
    }

    @Override
    public void save(ProfilingJobStatus status) {
        String started = status.startedAt() == null ? "-1" : Long.toString(status.startedAt().toEpochMilli());
        String finished = !status.status().isFinal() ? ""
                : status.finishedAt() == null ? "+inf" : Long.toString(status.finishedAt().toEpochMilli());
        String stored = write(status);
        redis.call("save profiling job '" + status.id() + "'", c -> c.<Long>eval(SAVE, ScriptOutputType.INTEGER,
                new String[] {JOBS, STARTED, FINISHED}, status.id(), stored, started, finished, Integer.toString(capacity)));
    }

    @Override
    public Optional<ProfilingJobStatus> find(String id) {
        return Optional.ofNullable(redis.call("read profiling job '" + id + "'", c -> c.hget(JOBS, id)))
                .map(RedisProfilingJobStore::read);
    }

    @Override
    public List<ProfilingJobStatus> recent(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<KeyValue<String, String>> stored = redis.call("read the profiling jobs", c -> {
            List<String> ids = c.zrevrange(STARTED, 0, limit - 1);
            return ids.isEmpty() ? List.<KeyValue<String, String>>of() : c.hmget(JOBS, ids.toArray(String[]::new));
        });
        List<ProfilingJobStatus> jobs = new ArrayList<>();
        for (KeyValue<String, String> job : stored) {
            if (job.hasValue()) {
                jobs.add(read(job.getValue()));
            }
        }
        return jobs;
    }

    private static String write(ProfilingJobStatus status) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", status.id());
        node.put("status", status.status().name());
        node.put("done", status.done());
        node.put("total", status.total());
        node.put("errors", status.errors());
        ArrayNode experts = node.putArray("experts");
        status.experts().forEach(experts::add);
        ArrayNode aggregators = node.putArray("aggregators");
        status.aggregators().forEach(aggregators::add);
        node.put("items", status.items());
        putIfSet(node, "started_at", status.startedAt());
        putIfSet(node, "finished_at", status.finishedAt());
        if (status.message() != null) {
            node.put("message", status.message());
        }
        return JSON.writeValueAsString(node);
    }

    private static ProfilingJobStatus read(String stored) {
        try {
            JsonNode node = JSON.readTree(stored);
            List<String> experts = new ArrayList<>();
            node.path("experts").forEach(expert -> experts.add(expert.asString()));
            List<String> aggregators = new ArrayList<>();
            node.path("aggregators").forEach(aggregator -> aggregators.add(aggregator.asString()));
            return new ProfilingJobStatus(node.path("id").asString(),
                    ProfilingJobStatus.State.valueOf(node.path("status").asString()), node.path("done").asInt(),
                    node.path("total").asInt(), node.path("errors").asInt(), experts, aggregators,
                    node.path("items").asInt(), instant(node, "started_at"), instant(node, "finished_at"),
                    node.hasNonNull("message") ? node.path("message").asString() : null);
        } catch (JacksonException | IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalStateException("a stored profiling job cannot be read: " + e.getMessage(), e);
        }
    }

    private static void putIfSet(ObjectNode node, String field, @Nullable Instant value) {
        if (value != null) {
            node.put(field, value.toString());
        }
    }

    private static @Nullable Instant instant(JsonNode node, String field) {
        return node.hasNonNull(field) ? Instant.parse(node.path(field).asString()) : null;
    }
}
