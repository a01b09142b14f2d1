package io.consilium.router.feedback;

import io.consilium.registry.Secret;
import io.consilium.registry.SecretCipher;
import io.consilium.router.feedback.CompletionLog.Completion;
import io.consilium.router.feedback.CompletionLog;
import io.consilium.router.state.OutageLog;
import io.consilium.router.state.RedisAccess;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Remembered completions in Redis, so that feedback can reach any replica: one key per completion,
 * {@code consilium:completions:<id>} (JSON), expiring after {@code rememberFor}. Feedback is claimed
 * with {@code SET NX} on {@code consilium:completions:<id>:feedback}, with the same expiry, so it counts
 * once across replicas. Remembering is sent without waiting, on the chat path: an outage loses the entry,
 * not the answer.
 *
 * <p>An entry holds expert ids and skill weights; the start of a question kept for classifying it later
 * (direct calls to an expert) is sealed under the master key like provider keys, so a copy of Redis
 * alone reveals no prompt. The answer is never kept.
 */
public final class RedisCompletionStore implements CompletionLog.Store {

    static final String PREFIX = "consilium:completions:";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Logger log = LoggerFactory.getLogger(RedisCompletionStore.class);

    private final RedisAccess redis;
    private final long ttlMillis;
    private final SecretCipher cipher;
    private final OutageLog outage = new OutageLog(log, "completions are not remembered for feedback");

    /** @param cipher seals the questions kept, under {@code consilium.security.master-key} */
    RedisCompletionStore(StatefulRedisConnection<String, String> connection, Duration rememberFor, SecretCipher cipher) {
        if (rememberFor.toMillis() < 1) {
            throw new IllegalArgumentException("consilium.feedback.remember-for must be at least 1ms, but was "
                    + rememberFor);
        }
        this.redis = new RedisAccess(connection);
        this.ttlMillis = rememberFor.toMillis();
        this.cipher = cipher;
    }

    @Override
    public void remember(Completion completion) {
        String stored = write(completion);
        redis.send("remember a completion", c -> c.set(PREFIX + completion.id(), stored, SetArgs.Builder.px(ttlMillis)),
                outage);
    }

    @Override
    public Optional<Completion> find(String id) {
        String stored = redis.call("read a completion", c -> c.get(PREFIX + id));
        return stored == null ? Optional.empty() : Optional.of(read(id, stored));
    }

    private CompletionLog.FeedbackFlag claimIn(String id) {
        return () -> "OK".equals(redis.call("record feedback", c -> c.set(PREFIX + id + ":feedback", "1",
                SetArgs.Builder.nx().px(ttlMillis))));
    }

    private String write(Completion completion) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode experts = node.putArray("experts");
        completion.expertIds().forEach(experts::add);
        // A blank question classifies like none at all, and a Secret cannot be blank.
        if (completion.question() != null && !completion.question().isBlank()) {
            node.put("sealed_question", cipher.encrypt(Secret.of(completion.question())));
        }
        if (completion.skills() != null) {
            ObjectNode skills = node.putObject("skills");
            completion.skills().forEach(skills::put);
        }
        return JSON.writeValueAsString(node);
    }

    private Completion read(String id, String stored) {
        try {
            JsonNode node = JSON.readTree(stored);
            List<String> experts = new ArrayList<>();
            node.path("experts").forEach(expert -> experts.add(expert.asString()));
            @Nullable Map<String, Double> skills = null;
            if (node.has("skills")) {
                Map<String, Double> weights = new LinkedHashMap<>();
                node.path("skills").properties().forEach(entry -> weights.put(entry.getKey(), entry.getValue().asDouble()));
                skills = weights;
            }
            String question = node.hasNonNull("sealed_question")
                    ? cipher.decrypt(node.path("sealed_question").asString()).reveal() : null;
            return new Completion(id, experts, question, skills, claimIn(id));
        } catch (JacksonException e) {
            throw new IllegalStateException("the stored completion '" + id + "' is not valid JSON", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the stored completion '" + id + "' cannot be read (is "
                    + "consilium.security.master-key the same on every replica?): " + e.getMessage(), e);
        }
    }
}
