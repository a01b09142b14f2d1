package io.consilium.router.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.ConsiliumApplication;
import io.consilium.router.experts.RedisExpertStore;
import io.consilium.router.taxonomy.RedisTaxonomyStore;
import io.consilium.router.testing.RedisFixture;
import io.consilium.router.testing.ReplicaRequests;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
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
 * Two replicas of the service on one Redis: what is changed through one is served by the other within
 * a second, and a Redis outage stops admin writes (503) but not chat. Both replicas start once for the
 * class; the outage test runs last because it restarts Redis.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    private static final String ADMIN_KEY = "test-admin-key";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static RedisFixture redis;
    private static FakeOpenAiUpstream upstream;
    private static ConfigurableApplicationContext replicaA;
    private static ConfigurableApplicationContext replicaB;

    @BeforeAll
    static void startReplicas() {
        redis = RedisFixture.start();
        upstream = FakeOpenAiUpstream.start();
        replicaA = replica();
        replicaB = replica();
        ReplicaRequests.awaitClassifiers(ADMIN_KEY, replicaA, replicaB);
    }

    @AfterAll
    static void stopReplicas() {
        for (AutoCloseable closeable : new AutoCloseable[] {replicaB, replicaA, upstream, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    /** Settings as command-line arguments: builder properties are defaults, which application.yaml overrides. */
    private static ConfigurableApplicationContext replica() {
        return new SpringApplicationBuilder(ConsiliumApplication.class).run(
                "--server.port=0",
                "--consilium.store=redis",
                "--consilium.redis.url=" + redis.server().url(),
                "--consilium.security.master-key=replicas-it-master-key",
                "--consilium.auth.anonymous=true",
                "--consilium.auth.admin-key=" + ADMIN_KEY,
                "--consilium.experts=",
                "--consilium.resilience.max-retries=0");
    }

    @Test
    @Order(1)
    void should_chat_through_one_replica_with_an_expert_registered_through_the_other_within_a_second() {
        // when
        HttpResponse<String> created = registerExpert(replicaA, "shared-expert");

        // then
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
            HttpResponse<String> answer = chat(replicaB, "shared-expert", "hello from B");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(json(answer).path("choices").path(0).path("message").path("content").asString())
                    .isEqualTo("echo: hello from B");
        });
        assertThat(upstream.lastReceived().headers().get("authorization")).isEqualTo("Bearer sk-shared-expert");
        assertThat(redis.commands().hget(RedisExpertStore.EXPERTS, "shared-expert")).doesNotContain("sk-shared-expert");
    }

    @Test
    @Order(2)
    void should_see_on_one_replica_a_skill_added_through_the_other_within_a_second() {
        // when
        HttpResponse<String> added = admin(replicaA, "POST", "/admin/api/taxonomy/skills", """
                {"id": "cooking", "description": "recipes and kitchen technique",
                 "exemplars": ["How long do I boil an egg?", "What can I cook with leftover rice?",
                   "How do I make a roux?", "Why did my bread not rise?", "How do I sharpen a kitchen knife?"]}
                """);

        // then
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        long version = json(added).path("version").asLong();
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
            HttpResponse<String> skill = admin(replicaB, "GET", "/admin/api/taxonomy/skills/cooking", null);
            assertThat(skill.statusCode()).as(skill.body()).isEqualTo(200);
            assertThat(json(admin(replicaB, "GET", "/admin/api/taxonomy", null)).path("version").asLong())
                    .isEqualTo(version);
        });
    }

    @Test
    @Order(3)
    void should_forget_on_one_replica_an_expert_deleted_through_the_other_within_a_second() {
        // given
        registerExpert(replicaA, "short-lived");
        await().atMost(Duration.ofSeconds(1))
                .until(() -> chat(replicaB, "short-lived", "still there?").statusCode() == 200);

        // when
        HttpResponse<String> deleted = admin(replicaA, "DELETE", "/admin/api/experts/short-lived", null);

        // then
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(admin(replicaB, "GET", "/admin/api/experts/short-lived", null).statusCode()).isEqualTo(404);
            assertThat(chat(replicaB, "short-lived", "gone?").statusCode()).isEqualTo(404);
        });
    }

    @Test
    @Order(4)
    void should_keep_chatting_and_refuse_admin_writes_while_redis_is_down_then_accept_them_when_it_is_back() {
        // given
        registerExpert(replicaA, "steady");
        await().atMost(Duration.ofSeconds(1)).until(() -> chat(replicaB, "steady", "before").statusCode() == 200);

        // when
        redis.server().stop();
        try {
            // then: chat is served from the local copies
            for (ConfigurableApplicationContext replica : List.of(replicaA, replicaB)) {
                HttpResponse<String> answer = chat(replica, "steady", "during the outage");
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            }
            assertThat(admin(replicaB, "GET", "/admin/api/experts/steady", null).statusCode()).isEqualTo(200);

            // and: writes are refused in the OpenAI error shape
            HttpResponse<String> refused = registerExpert(replicaA, "too-early");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            JsonNode error = json(refused).path("error");
            assertThat(error.path("type").asString()).isEqualTo("service_unavailable_error");
            assertThat(error.path("code").asString()).isEqualTo("state_unavailable");
            assertThat(error.path("message").asString()).contains("Redis").doesNotContain(redis.server().url());
            assertThat(refused.headers().firstValue("retry-after")).isPresent();
        } finally {
            redis.server().startAgain();
        }

        // then: Redis came back empty; writes work again without a restart
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> registerExpert(replicaA, "after-outage").statusCode() == 201);
        await().atMost(Duration.ofSeconds(1)).until(() -> chat(replicaB, "after-outage", "back").statusCode() == 200);
        assertThat(chat(replicaB, "steady", "after").statusCode()).isEqualTo(200);
        // and: the replicas wrote back what they held, so Redis has the catalogue (and the skill) again
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
            assertThat(redis.commands().hkeys(RedisExpertStore.EXPERTS))
                    .contains("steady", "shared-expert", "after-outage")
                    .doesNotContain("short-lived", "too-early");
            assertThat(redis.commands().hget(RedisTaxonomyStore.TAXONOMY, "skills")).contains("cooking");
        });
    }

    private static HttpResponse<String> registerExpert(ConfigurableApplicationContext replica, String id) {
        return admin(replica, "POST", "/admin/api/experts", """
                {"id": "%s", "provider": "openai", "base_url": "%s", "model": "served-model",
                 "api_key": "sk-%s", "skills": ["math.algebra"]}
                """.formatted(id, upstream.baseUrl(), id));
    }

    private static HttpResponse<String> chat(ConfigurableApplicationContext replica, String model, String text) {
        return ReplicaRequests.send(replica, "POST", "/v1/chat/completions", null, """
                {"model": "%s", "messages": [{"role": "user", "content": "%s"}]}
                """.formatted(model, text));
    }

    private static HttpResponse<String> admin(ConfigurableApplicationContext replica, String method, String path,
            @Nullable String body) {
        return ReplicaRequests.send(replica, method, path, ADMIN_KEY, body);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
