package io.consilium.router.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import io.consilium.router.RedisBackedService;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a chat completion leaves in Redis so that feedback can reach any replica: never the prompt or the
 * answer in clear, and nothing without an expiry.
 */
class RememberedCompletionsIT extends RedisBackedService {

    private static final String COMPLETIONS = "consilium:completions:";

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(redisServer().url());
        connection = client.connect();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
        client.shutdown();
    }

    @Test
    void should_keep_no_prompt_text_in_redis_and_let_every_remembered_completion_expire() {
        // given
        Expert expert = registry.register(Expert.builder("remembered-completions").provider(Provider.MOCK).build());
        String prompt = "Can my landlord keep the deposit of flat purple-walrus-8813 for normal wear and tear?";

        // when: one direct call (its question is kept for later classification) and one routed call
        HttpResponse<String> direct = chat(expert.id(), prompt);
        HttpResponse<String> routed = chat("consilium/auto", prompt);

        // then
        assertThat(direct.statusCode()).as(direct.body()).isEqualTo(200);
        assertThat(routed.statusCode()).as(routed.body()).isEqualTo(200);
        String id = json(direct).path("id").asString();
        String routedId = json(routed).path("id").asString();
        RedisCommands<String, String> redis = connection.sync();
        await().atMost(Duration.ofSeconds(2)).until(() -> redis.exists(COMPLETIONS + id, COMPLETIONS + routedId) == 2);
        Map<String, String> everything = everythingIn(redis);
        assertThat(everything).allSatisfy((key, value) -> assertThat(key + " " + value)
                .as("what Redis holds under " + key)
                .doesNotContain("purple-walrus-8813"));
        assertThat(redis.keys(COMPLETIONS + "*")).allSatisfy(key ->
                assertThat(redis.pttl(key)).as("milliseconds left of " + key).isPositive());

        // and: feedback still finds the experts and the skills of the question
        HttpResponse<String> feedback = postJson("/v1/feedback", "{\"completion_id\": \"" + id + "\", \"score\": 1}");
        assertThat(feedback.statusCode()).as(feedback.body()).isEqualTo(200);
        assertThat(json(feedback).path("experts").toString()).contains(expert.id());
        assertThat(json(feedback).path("skills").has("law")).as(feedback.body()).isTrue();
        assertThat(postJson("/v1/feedback", "{\"completion_id\": \"" + routedId + "\", \"score\": -1}").statusCode())
                .isEqualTo(200);
        assertThat(redis.keys(COMPLETIONS + "*")).hasSizeGreaterThanOrEqualTo(4).allSatisfy(key ->
                assertThat(redis.pttl(key)).as("milliseconds left of " + key).isPositive());
    }

    private HttpResponse<String> chat(String model, String prompt) {
        return postJson("/v1/chat/completions", """
                {"model": "%s", "messages": [{"role": "user", "content": "%s"}]}""".formatted(model, prompt));
    }

    /** Every key with its value, read the way its type is read. */
    private static Map<String, String> everythingIn(RedisCommands<String, String> redis) {
        Map<String, String> everything = new LinkedHashMap<>();
        for (String key : redis.keys("*")) {
            String value = switch (redis.type(key)) {
                case "string" -> redis.get(key);
                case "hash" -> redis.hgetall(key).toString();
                case "set" -> redis.smembers(key).toString();
                case "zset" -> redis.zrangeWithScores(key, 0, -1).stream().map(ScoredValue::getValue).toList().toString();
                case "list" -> redis.lrange(key, 0, -1).toString();
                default -> throw new AssertionError(key + " has a type this scan cannot read: " + redis.type(key));
            };
            everything.put(key, String.valueOf(value));
        }
        return everything;
    }
}
