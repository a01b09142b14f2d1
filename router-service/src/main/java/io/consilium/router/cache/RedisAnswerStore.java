package io.consilium.router.cache;

import io.consilium.registry.Secret;
import io.consilium.registry.SecretCipher;
import io.consilium.router.state.RedisAccess;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link AnswerStore} in Redis, shared by every replica. The server's vector search (RediSearch) is not assumed:
 * each partition is one list, {@code consilium:cache:<owner hash>:<partition>}, of at most
 * {@code maxPerPartition} answers, newest first, that a look-up reads whole (one {@code LRANGE}) and scans;
 * the list expires {@code ttl} after its last answer was stored and each answer carries its own expiry. An answer
 * holds a conversation, so it is sealed under the master key like stored responses.
 */
final class RedisAnswerStore implements AnswerStore {

    static final String PREFIX = "consilium:cache:";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Pushes the newest answer, keeps the list bounded and moves its expiry, in one step. */
    private static final String PUSH = """
            redis.call('LPUSH', KEYS[1], ARGV[1])
            redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1
            """;

    private final RedisAccess redis;
    private final SecretCipher cipher;
    private final int maxPerPartition;
    private final long ttlMillis;
    private final LongSupplier clock;

    RedisAnswerStore(StatefulRedisConnection<String, String> connection, SecretCipher cipher, int maxPerPartition,
            Duration ttl, LongSupplier clock) {
        this.redis = new RedisAccess(connection);
        this.cipher = cipher;
        this.maxPerPartition = maxPerPartition;
        this.ttlMillis = ttl.toMillis();
        this.clock = clock;
    }

    @Override
    public Optional<CacheHit> exact(CacheKey key) {
        return PartitionScan.exact(read(key), key.exact(), clock.getAsLong());
    }

    @Override
    public Optional<CacheHit> similar(CacheKey key, float[] embedding, double threshold) {
        return PartitionScan.similar(read(key), embedding, threshold, clock.getAsLong());
    }

    @Override
    public void put(CacheKey key, CachedAnswer answer) {
        String sealed = cipher.encrypt(Secret.of(write(answer)));
        String[] keys = {redisKey(key)};
        redis.call("store a cached answer", c -> c.<Long>eval(PUSH, ScriptOutputType.INTEGER, keys, sealed,
                Integer.toString(maxPerPartition), Long.toString(ttlMillis)));
    }

    @Override
    public long purge(@Nullable String owner) {
        String pattern = PREFIX + (owner == null ? "" : ownerHash(owner) + ":") + "*";
        ScanArgs matching = ScanArgs.Builder.matches(pattern).limit(500);
        long dropped = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            ScanCursor from = cursor;
            var page = redis.call("list cached answers", c -> c.scan(from, matching));
            if (!page.getKeys().isEmpty()) {
                String[] keys = page.getKeys().toArray(String[]::new);
                dropped += redis.call("purge cached answers", c -> c.del(keys));
            }
            cursor = page;
        } while (!cursor.isFinished());
        return dropped;
    }

    private List<CachedAnswer> read(CacheKey key) {
        List<String> stored = redis.call("read cached answers", c -> c.lrange(redisKey(key), 0, maxPerPartition - 1));
        List<CachedAnswer> entries = new ArrayList<>(stored.size());
        for (String sealed : stored) {
            entries.add(parse(cipher.decrypt(sealed).reveal()));
        }
        return entries;
    }

    static String redisKey(CacheKey key) {
        return PREFIX + ownerHash(key.owner()) + ":" + key.partition();
    }

    /** The owner as it appears in key names: hashed, so a key listing shows no key ids. */
    private static String ownerHash(String owner) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(owner.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String write(CachedAnswer answer) {
        ObjectNode node = JSON.createObjectNode();
        node.put("exact", answer.exactKey());
        float[] embedding = answer.embedding();
        if (embedding != null) {
            ByteBuffer bytes = ByteBuffer.allocate(embedding.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(embedding);
            node.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
        }
        node.set("completion", answer.completion());
        node.put("cost_usd", answer.costUsd());
        answer.experts().forEach(node.putArray("experts")::add);
        node.put("expires_at", answer.expiresAtMillis());
        return node.toString();
    }

    private static CachedAnswer parse(String text) {
        JsonNode node = JSON.readTree(text);
        float[] embedding = null;
        if (node.hasNonNull("embedding")) {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(node.get("embedding").asString()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            embedding = new float[bytes.remaining() / Float.BYTES];
            bytes.asFloatBuffer().get(embedding);
        }
        List<String> experts = new ArrayList<>();
        node.path("experts").forEach(expert -> experts.add(expert.asString()));
        return new CachedAnswer(node.path("exact").asString(), embedding, (ObjectNode) node.get("completion"),
                node.path("cost_usd").asDouble(), experts, node.path("expires_at").asLong());
    }
}
