package io.consilium.router.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.ConsiliumApplication;
import io.consilium.router.testing.RedisServer;
import io.consilium.router.testing.ReplicaRequests;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two replicas sharing one Redis agree on keys and share each key's rate limit and budget; while Redis is
 * down, keys already known keep working. The outage test runs last: it empties Redis.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedKeysIT {

    private static final String ADMIN_KEY = "replica-admin-key";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static RedisServer redis;
    private static FakeOpenAiUpstream upstream;
    private static ConfigurableApplicationContext replicaA;
    private static ConfigurableApplicationContext replicaB;

    @BeforeAll
    static void startReplicas() {
        redis = RedisServer.start();
        upstream = FakeOpenAiUpstream.start();
        replicaA = replica();
        replicaB = replica();
        ReplicaRequests.awaitClassifiers(ADMIN_KEY, replicaA, replicaB);
        HttpResponse<String> registered = ReplicaRequests.send(replicaA, "POST", "/admin/api/experts", ADMIN_KEY,
                "{\"id\": \"shared-echo\", \"provider\": \"openai\", \"base_url\": \"" + upstream.baseUrl() + "\", \"model\": \"m\"}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        // $1000 per million tokens: each answer of the fake upstream (18 tokens) costs $0.018.
        HttpResponse<String> priced = ReplicaRequests.send(replicaA, "POST", "/admin/api/experts", ADMIN_KEY,
                "{\"id\": \"shared-priced\", \"provider\": \"openai\", \"base_url\": \"" + upstream.baseUrl()
                        + "\", \"model\": \"m\", \"cost\": {\"input_per_mtok\": 1000, \"output_per_mtok\": 1000}}");
        assertThat(priced.statusCode()).as(priced.body()).isEqualTo(201);
    }

    private static ConfigurableApplicationContext replica() {
        // Arguments, not default properties: application.yaml would override those.
        return new SpringApplicationBuilder(ConsiliumApplication.class).run(
                "--server.port=0",
                "--consilium.store=redis",
                "--consilium.redis.url=" + redis.url(),
                "--consilium.security.master-key=a master key for the replica tests",
                "--consilium.auth.admin-key=" + ADMIN_KEY,
                "--consilium.experts=");
    }

    @AfterAll
    static void stopReplicas() {
        for (AutoCloseable closeable : new AutoCloseable[] {replicaA, replicaB, upstream, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void should_accept_on_one_replica_a_key_created_on_the_other_and_refuse_it_there_once_revoked() {
        // given
        JsonNode created = createKey(replicaA, "{\"name\": \"replicated\"}");
        String key = created.path("key").asString();

        // when / then: usable on B within a second of its creation on A
        await().atMost(Duration.ofSeconds(1)).until(() -> chat(replicaB, key).statusCode() == 200);

        // when: revoked through B, refused on A within a second
        assertThat(ReplicaRequests.send(replicaB, "DELETE", "/admin/api/keys/" + created.path("id").asString(), ADMIN_KEY, null).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).until(() -> chat(replicaA, key).statusCode() == 401);
        assertThat(chat(replicaA, key).body()).contains("revoked_api_key");
    }

    @Test
    void should_hold_a_rate_limit_across_both_replicas_together() {
        // given
        String key = createKey(replicaA, "{\"name\": \"limited\", \"requests_per_minute\": 4}").path("key").asString();
        await().atMost(Duration.ofSeconds(1)).until(() -> ReplicaRequests.send(replicaB, "GET", "/v1/models", key, null).statusCode() == 200);
        // that check took one request from the bucket

        // when: alternate between the replicas
        List<Integer> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(chat(i % 2 == 0 ? replicaA : replicaB, key).statusCode());
        }

        // then: 4 per minute in all, not 4 per replica
        assertThat(statuses).containsExactly(200, 200, 200, 429, 429, 429);
    }

    @Test
    void should_refuse_a_key_on_both_replicas_once_what_it_spent_on_both_together_crosses_its_budget() {
        // given: $0.05 a day, $0.018 an answer
        JsonNode created = createKey(replicaA, "{\"name\": \"budgeted\", \"budget_usd\": 0.05, \"budget_period\": \"day\"}");
        String key = created.path("key").asString();
        await().atMost(Duration.ofSeconds(1)).until(() -> ReplicaRequests.send(replicaB, "GET", "/v1/models", key, null).statusCode() == 200);

        // when: alternate between the replicas; the third answer crosses the budget ($0.054)
        List<Integer> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(chat(i % 2 == 0 ? replicaA : replicaB, key, "shared-priced").statusCode());
        }
        HttpResponse<String> onA = chat(replicaA, key, "shared-priced");
        HttpResponse<String> onB = chat(replicaB, key, "shared-priced");

        // then: $0.05 a day in all, not per replica, and both show what was spent
        assertThat(statuses).containsExactly(200, 200, 200);
        for (HttpResponse<String> refused : List.of(onA, onB)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
            assertThat(JSON.readTree(refused.body()).path("error").path("code").asString()).isEqualTo("budget_exceeded");
            assertThat(refused.headers().firstValue("retry-after")).isPresent();
        }
        for (ConfigurableApplicationContext replica : List.of(replicaA, replicaB)) {
            JsonNode shown = JSON.readTree(ReplicaRequests.send(replica, "GET", "/admin/api/keys/" + created.path("id").asString(),
                    ADMIN_KEY, null).body());
            assertThat(shown.path("spent_usd").asDouble()).isCloseTo(3 * 0.018, org.assertj.core.api.Assertions.within(1e-9));
        }
    }

    @Test
    void should_share_one_generated_admin_key_hash_and_never_the_key_itself() {
        // the admin key here is configured; the generated one is covered by DefaultConfigurationIT.
        // What is shared is checked directly: Redis holds only hashes of API keys.
        JsonNode created = createKey(replicaB, "{\"name\": \"hashed\"}");
        String stored = redisDump();
        assertThat(stored).contains(created.path("prefix").asString()).doesNotContain(created.path("key").asString());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void should_keep_admitting_known_keys_while_redis_is_down_and_refuse_admin_writes_until_it_returns() {
        // given
        String key = createKey(replicaA, "{\"name\": \"outage\", \"requests_per_minute\": 100}").path("key").asString();
        await().atMost(Duration.ofSeconds(1)).until(() -> chat(replicaB, key).statusCode() == 200);
        double uncheckedBefore = uncheckedRequests(replicaB);

        // when
        redis.stop();
        try {
            HttpResponse<String> served = chat(replicaB, key);
            HttpResponse<String> refusedWrite = ReplicaRequests.send(replicaA, "POST", "/admin/api/keys", ADMIN_KEY, "{\"name\": \"during\"}");

            // then: the key is recognised from the local copy and the limit fails open, counted
            assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
            assertThat(uncheckedRequests(replicaB)).isGreaterThan(uncheckedBefore);
            assertThat(refusedWrite.statusCode()).as(refusedWrite.body()).isEqualTo(503);
            assertThat(JSON.readTree(refusedWrite.body()).path("error").path("message").asString()).contains("Redis");
        } finally {
            redis.startAgain();
        }

        // then: writes work again once Redis is back, without restarting anything
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ReplicaRequests.send(replicaA, "POST", "/admin/api/keys", ADMIN_KEY, "{\"name\": \"after\"}").statusCode() == 201);
    }

    private static double uncheckedRequests(ConfigurableApplicationContext replica) {
        var counter = replica.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                .find("consilium.rate.limit.unavailable").counter();
        return counter == null ? 0 : counter.count();
    }

    private static String redisDump() {
        try (var client = io.lettuce.core.RedisClient.create(redis.url()); var connection = client.connect()) {
            return connection.sync().hgetall("consilium:keys").toString();
        }
    }

    private static JsonNode createKey(ConfigurableApplicationContext replica, String grant) {
        HttpResponse<String> created = ReplicaRequests.send(replica, "POST", "/admin/api/keys", ADMIN_KEY, grant);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body());
    }

    private static HttpResponse<String> chat(ConfigurableApplicationContext replica, String key) {
        return chat(replica, key, "shared-echo");
    }

    private static HttpResponse<String> chat(ConfigurableApplicationContext replica, String key, String model) {
        return ReplicaRequests.send(replica, "POST", "/v1/chat/completions", key,
                "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
    }

}
