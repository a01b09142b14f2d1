package io.consilium.router.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.router.ConsiliumApplication;
import io.consilium.router.testing.RedisFixture;
import io.consilium.router.testing.ReplicaRequests;
import io.lettuce.core.RedisException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two replicas on one Redis that loses everything (FLUSHALL, or a restart without persistence) while
 * clients keep calling: no request may fail, and the replicas refill Redis with what they hold — API
 * keys (hashes), the generated admin key's hash, experts, the taxonomy change and profiles — without
 * bringing back what was revoked or deleted on purpose.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisRecoveryIT {

    private static final Duration RESYNC = Duration.ofMillis(250);
    /** Long enough for several resyncs after the loss on a busy machine, short enough to bound the test. */
    private static final Duration CHAT_DEADLINE = Duration.ofSeconds(15);
    private static final int MAX_REQUESTS = 1_000;
    private static final int REQUESTS_BEFORE_THE_LOSS = 20;
    private static final Pattern ADMIN_KEY = Pattern.compile("csa-[A-Za-z0-9_-]{32}");
    private static final String EXPERT = "recovery-mock";
    private static final String DELETED_EXPERT = "recovery-deleted";
    private static final String EXEMPLAR = "Can a tenancy clause survive the landlord's bankruptcy?";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static RedisFixture redis;
    private static ConfigurableApplicationContext replicaA;
    private static ConfigurableApplicationContext replicaB;
    private static String adminKey;
    private static String adminKeyHash;
    private static String liveKey;
    private static String liveKeyId;
    private static String revokedKey;
    private static String revokedKeyId;
    private static long profileVersion;

    @BeforeAll
    static void startReplicasAndFillTheirState(CapturedOutput output) {
        redis = RedisFixture.start();
        replicaA = replica();
        replicaB = replica();
        Matcher printed = ADMIN_KEY.matcher(output.getAll());
        assertThat(printed.find()).as("the generated admin key is printed").isTrue();
        adminKey = printed.group();
        adminKeyHash = redis.commands().get("consilium:admin-key-hash");
        assertThat(adminKeyHash).isNotBlank();

        expectStatus(201, admin(replicaA, "POST", "/admin/api/experts", """
                {"id": "%s", "provider": "mock", "mock": {"latency": "5ms"}}""".formatted(EXPERT)));
        expectStatus(201, admin(replicaA, "POST", "/admin/api/experts", """
                {"id": "%s", "provider": "mock"}""".formatted(DELETED_EXPERT)));
        expectStatus(204, admin(replicaB, "DELETE", "/admin/api/experts/" + DELETED_EXPERT, null));
        JsonNode live = JSON.readTree(expectStatus(201, admin(replicaA, "POST", "/admin/api/keys", """
                {"name": "survives", "models": ["%s"]}""".formatted(EXPERT))).body());
        liveKey = live.path("key").asString();
        liveKeyId = live.path("id").asString();
        JsonNode revoked = JSON.readTree(expectStatus(201, admin(replicaA, "POST", "/admin/api/keys",
                "{\"name\": \"revoked on purpose\"}")).body());
        revokedKey = revoked.path("key").asString();
        revokedKeyId = revoked.path("id").asString();
        expectStatus(200, admin(replicaB, "DELETE", "/admin/api/keys/" + revokedKeyId, null));
        expectStatus(200, admin(replicaA, "POST", "/admin/api/taxonomy/skills/law/exemplars",
                "{\"exemplars\": [\"" + EXEMPLAR + "\"]}"));
        await().atMost(Duration.ofSeconds(30)).until(() -> chat(replicaB, liveKey).statusCode() == 200
                && chat(replicaB, revokedKey).statusCode() == 401
                && admin(replicaB, "GET", "/admin/api/taxonomy/skills/law", null).body().contains(EXEMPLAR));
        String completion = JSON.readTree(chat(replicaB, liveKey).body()).path("id").asString();
        expectStatus(200, ReplicaRequests.send(replicaA, "POST", "/v1/feedback", liveKey,
                "{\"completion_id\": \"" + completion + "\", \"score\": 1}"));
        profileVersion = JSON.readTree(redis.commands().hget("consilium:profiles", EXPERT)).path("version").asLong();
        assertThat(profileVersion).isPositive();
    }

    /** Settings as command-line arguments: builder properties are defaults, which application.yaml overrides. */
    private static ConfigurableApplicationContext replica() {
        return new SpringApplicationBuilder(ConsiliumApplication.class).run(
                "--server.port=0",
                "--consilium.store=redis",
                "--consilium.redis.url=" + redis.server().url(),
                "--consilium.redis.resync-interval=" + RESYNC.toMillis() + "ms",
                "--consilium.security.master-key=redis-recovery-it-master-key",
                "--consilium.experts=");
    }

    @AfterAll
    static void stopReplicas() {
        for (AutoCloseable closeable : new AutoCloseable[] {replicaB, replicaA, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    @Test
    void should_answer_every_request_and_refill_redis_when_it_is_flushed() {
        // when
        List<String> failures = chatWhile(() -> redis.flushAll());

        // then
        assertThat(failures).isEmpty();
        assertRefilledWithoutWhatWasRemovedOnPurpose();
    }

    @Test
    void should_answer_every_request_and_refill_redis_when_it_restarts_empty() {
        // when
        List<String> failures = chatWhile(() -> {
            redis.server().stop();
            redis.server().startAgain();
        });

        // then
        assertThat(failures).isEmpty();
        assertRefilledWithoutWhatWasRemovedOnPurpose();
    }

    /**
     * Chats with the live key through both replicas in turn, loses Redis's data after a few requests,
     * and goes on until Redis has been refilled and several resyncs have run since, or the deadline.
     * Returns every request that did not succeed.
     */
    private static List<String> chatWhile(Runnable loseEverything) {
        List<String> failures = new ArrayList<>();
        long deadline = System.nanoTime() + CHAT_DEADLINE.toNanos();
        long refilledAt = 0;
        for (int sent = 0; sent < MAX_REQUESTS && System.nanoTime() < deadline; sent++) {
            if (sent == REQUESTS_BEFORE_THE_LOSS) {
                loseEverything.run();
            }
            HttpResponse<String> answer = chat(sent % 2 == 0 ? replicaA : replicaB, liveKey);
            if (answer.statusCode() != 200) {
                failures.add("request " + sent + ": " + answer.statusCode() + " " + answer.body());
            }
            if (sent > REQUESTS_BEFORE_THE_LOSS && refilledAt == 0 && refilled()) {
                refilledAt = System.nanoTime();
            }
            if (refilledAt != 0 && System.nanoTime() - refilledAt > 4 * RESYNC.toNanos()) {
                return failures;
            }
        }
        failures.add("Redis was not refilled within " + CHAT_DEADLINE + " (keys: " + quietly(() ->
                redis.commands().hkeys("consilium:keys")) + ")");
        return failures;
    }

    private static boolean refilled() {
        return Boolean.TRUE.equals(quietly(() -> redis.commands().hexists("consilium:keys", liveKeyId)
                && redis.commands().hexists("consilium:keys", revokedKeyId)
                && redis.commands().exists("consilium:admin-key-hash") == 1
                && redis.commands().hexists("consilium:experts", EXPERT)
                && redis.commands().hexists("consilium:profiles", EXPERT)
                && redis.commands().exists("consilium:taxonomy") == 1));
    }

    private static void assertRefilledWithoutWhatWasRemovedOnPurpose() {
        // Redis holds the keys (hashes only), the admin key's hash, the expert, the taxonomy change, the profile
        String keys = redis.commands().hgetall("consilium:keys").toString();
        assertThat(keys).contains(liveKeyId, revokedKeyId).doesNotContain(liveKey, revokedKey);
        assertThat(redis.commands().get("consilium:admin-key-hash")).isEqualTo(adminKeyHash);
        assertThat(redis.commands().hkeys("consilium:experts")).contains(EXPERT).doesNotContain(DELETED_EXPERT);
        assertThat(redis.commands().hget("consilium:taxonomy", "skills")).contains(EXEMPLAR);
        assertThat(JSON.readTree(redis.commands().hget("consilium:profiles", EXPERT)).path("version").asLong())
                .isEqualTo(profileVersion);
        // and every replica still tells the revoked key from the live one, and knows the admin key
        for (ConfigurableApplicationContext replica : List.of(replicaA, replicaB)) {
            assertThat(chat(replica, liveKey).statusCode()).isEqualTo(200);
            HttpResponse<String> refused = chat(replica, revokedKey);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
            assertThat(refused.body()).contains("revoked_api_key");
            HttpResponse<String> revoked = admin(replica, "GET", "/admin/api/keys/" + revokedKeyId, null);
            assertThat(JSON.readTree(revoked.body()).path("revoked").asBoolean()).as(revoked.body()).isTrue();
            assertThat(admin(replica, "GET", "/admin/api/experts/" + DELETED_EXPERT, null).statusCode()).isEqualTo(404);
        }
    }

    private static <T> @Nullable T quietly(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (RedisException restarting) {
            return null;
        }
    }

    private static HttpResponse<String> expectStatus(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response;
    }

    private static HttpResponse<String> chat(ConfigurableApplicationContext replica, String key) {
        return ReplicaRequests.send(replica, "POST", "/v1/chat/completions", key, """
                {"model": "%s", "messages": [{"role": "user", "content": "Is a verbal contract binding?"}]}"""
                .formatted(EXPERT));
    }

    private static HttpResponse<String> admin(ConfigurableApplicationContext replica, String method, String path,
            @Nullable String body) {
        return ReplicaRequests.send(replica, method, path, adminKey, body);
    }

}
