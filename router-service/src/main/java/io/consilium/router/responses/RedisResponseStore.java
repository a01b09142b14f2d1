package io.consilium.router.responses;

import io.consilium.registry.Secret;
import io.consilium.registry.SecretCipher;
import io.consilium.router.state.RedisAccess;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link ResponseStore} in Redis, so that any replica can continue a conversation: one string per response,
 * {@code consilium:responses:<id>}, expiring after the retention. The owner is kept in clear; the response and
 * its input, which hold the conversation, are sealed under the master key like the questions kept for
 * feedback, so a copy of Redis alone reveals no prompt.
 */
final class RedisResponseStore implements ResponseStore {

    static final String PREFIX = "consilium:responses:";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RedisAccess redis;
    private final long ttlMillis;
    private final SecretCipher cipher;

    RedisResponseStore(StatefulRedisConnection<String, String> connection, Duration retention, SecretCipher cipher) {
        this.redis = new RedisAccess(connection);
        this.ttlMillis = retention.toMillis();
        this.cipher = cipher;
    }

    @Override
    public void put(StoredResponse response) {
        ObjectNode sealed = JSON.createObjectNode();
        sealed.put("response", response.response().toString());
        sealed.put("input", response.input().toString());
        ObjectNode entry = JSON.createObjectNode();
        entry.put("owner", response.owner());
        entry.put("sealed", cipher.encrypt(Secret.of(sealed.toString())));
        String value = entry.toString();
        redis.call("store a response", c -> c.set(PREFIX + response.id(), value, SetArgs.Builder.px(ttlMillis)));
    }

    @Override
    public Optional<StoredResponse> find(String id) {
        String stored = redis.call("read a stored response", c -> c.get(PREFIX + id));
        if (stored == null) {
            return Optional.empty();
        }
        JsonNode entry = JSON.readTree(stored);
        JsonNode sealed = JSON.readTree(cipher.decrypt(entry.path("sealed").asString()).reveal());
        return Optional.of(new StoredResponse(id, entry.path("owner").asString(),
                (ObjectNode) JSON.readTree(sealed.path("response").asString()),
                (ArrayNode) JSON.readTree(sealed.path("input").asString())));
    }

    @Override
    public boolean delete(String id) {
        return redis.call("delete a stored response", c -> c.del(PREFIX + id)) > 0;
    }
}
