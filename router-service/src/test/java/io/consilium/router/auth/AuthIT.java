package io.consilium.router.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.Expert;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** API keys, the admin key, model access, per-key limits: who gets in, and what they may do once in. */
class AuthIT extends RunningService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();

    private Expert expert;

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @BeforeEach
    void registerExpert() {
        UPSTREAM.reset();
        expert = registerRemote(UPSTREAM.baseUrl());
    }

    private String chatBody(String model) {
        return "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hello\"}]}";
    }

    private HttpResponse<String> chat(String model, String bearer) {
        return send("POST", "/v1/chat/completions", "application/json", chatBody(model), bearer);
    }

    /** Creates a key through the admin API and returns the creation response. */
    private JsonNode createKey(String grant) {
        HttpResponse<String> created = send("POST", "/admin/api/keys", "application/json", grant);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created);
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo(code);
        assertThat(error.path("message").asString()).isNotBlank();
        assertThat(error.has("type")).isTrue();
    }

    @Test
    void should_refuse_requests_without_a_key_or_with_a_wrong_one() {
        // when
        HttpResponse<String> missing = chat(expert.id(), null);
        HttpResponse<String> wrong = chat(expert.id(), "csk-not-a-real-key");
        HttpResponse<String> models = send("GET", "/v1/models", null, null, null);

        // then
        assertError(missing, 401, "missing_api_key");
        assertThat(missing.headers().firstValue("www-authenticate")).hasValue("Bearer");
        assertError(wrong, 401, "invalid_api_key");
        assertError(models, 401, "missing_api_key");
    }

    @Test
    void should_never_let_a_flood_of_invalid_keys_reach_an_expert() {
        // when
        for (int i = 0; i < 200; i++) {
            assertThat(chat(expert.id(), "csk-guess-" + i).statusCode()).isEqualTo(401);
        }

        // then
        assertThat(UPSTREAM.calls()).isZero();
    }

    @Test
    void should_show_a_new_key_once_let_it_in_and_refuse_it_once_revoked() {
        // given
        JsonNode created = createKey("{\"name\": \"ci\"}");
        String key = created.path("key").asString();
        String id = created.path("id").asString();

        // when
        HttpResponse<String> admitted = chat(expert.id(), key);
        String listed = send("GET", "/admin/api/keys", null, null).body();
        HttpResponse<String> revoked = send("DELETE", "/admin/api/keys/" + id, null, null);
        HttpResponse<String> afterRevocation = chat(expert.id(), key);

        // then
        assertThat(key).startsWith("csk-").hasSizeGreaterThanOrEqualTo(4 + 22); // >= 128 random bits
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
        assertThat(listed).contains(id).contains(created.path("prefix").asString()).doesNotContain(key);
        assertThat(json(revoked).path("revoked").asBoolean()).isTrue();
        assertError(afterRevocation, 401, "revoked_api_key");
        assertThat(UPSTREAM.calls()).isEqualTo(1);
    }

    @Test
    void should_refuse_a_key_once_it_has_expired() {
        // given
        String key = createKey("{\"name\": \"short-lived\", \"expires_at\": \"" + Instant.now().plusSeconds(2) + "\"}")
                .path("key").asString();
        assertThat(chat(expert.id(), key).statusCode()).isEqualTo(200);

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> chat(expert.id(), key).statusCode() == 401);
        assertError(chat(expert.id(), key), 401, "expired_api_key");
    }

    @Test
    void should_forbid_models_outside_the_keys_grant_and_list_only_the_granted_ones() {
        // given
        Expert other = registerRemote(UPSTREAM.baseUrl());
        String key = createKey("{\"name\": \"one-model\", \"models\": [\"" + expert.id() + "\"]}").path("key").asString();

        // when
        HttpResponse<String> granted = chat(expert.id(), key);
        HttpResponse<String> other_ = chat(other.id(), key);
        HttpResponse<String> auto = chat("consilium/auto", key);
        String models = send("GET", "/v1/models", null, null, key).body();

        // then
        assertThat(granted.statusCode()).isEqualTo(200);
        assertError(other_, 403, "model_not_allowed");
        assertError(auto, 403, "model_not_allowed");
        assertThat(models).contains(expert.id()).doesNotContain(other.id()).doesNotContain("consilium/auto");
        assertThat(UPSTREAM.calls()).isEqualTo(1);
    }

    @Test
    void should_keep_api_keys_out_of_the_admin_api() {
        // given
        String key = createKey("{\"name\": \"not-admin\"}").path("key").asString();

        // then
        assertError(send("GET", "/admin/api/keys", null, null, key), 403, "admin_key_required");
        assertError(send("GET", "/admin/api/experts", null, null, null), 401, "missing_admin_key");
        assertError(send("GET", "/admin/api/experts", null, null, "wrong"), 401, "invalid_admin_key");
        assertError(send("POST", "/admin/api/keys", "application/json", "{\"name\": \"escalate\"}", key), 403,
                "admin_key_required");
    }

    @Test
    void should_answer_429_with_retry_after_past_the_request_limit() {
        // given
        String key = createKey("{\"name\": \"slow\", \"requests_per_minute\": 3}").path("key").asString();

        // when
        for (int i = 0; i < 3; i++) {
            assertThat(chat(expert.id(), key).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = chat(expert.id(), key);

        // then
        assertError(limited, 429, "rate_limit_exceeded");
        assertThat(limited.headers().firstValue("retry-after")).hasValueSatisfying(seconds ->
                assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
        assertThat(UPSTREAM.calls()).isEqualTo(3);
    }

    @Test
    void should_charge_the_tokens_an_answer_used_against_the_token_limit() {
        // given: each answer of the fake upstream reports 18 tokens
        String key = createKey("{\"name\": \"tokens\", \"tokens_per_minute\": 30}").path("key").asString();

        // when
        HttpResponse<String> first = chat(expert.id(), key);
        HttpResponse<String> second = chat(expert.id(), key);
        HttpResponse<String> third = chat(expert.id(), key);

        // then: 30 - 18 leaves some budget for the second, which overdraws it
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertError(third, 429, "rate_limit_exceeded");
    }

    @Test
    void should_charge_the_tokens_a_streamed_answer_used_even_when_the_client_did_not_ask_for_usage() {
        // given: each streamed answer of the fake upstream reports 12 tokens, when asked for them
        String key = createKey("{\"name\": \"stream-tokens\", \"tokens_per_minute\": 20}").path("key").asString();
        String streamed = "{\"model\": \"" + expert.id() + "\", \"stream\": true, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"hello\"}]}";

        // when
        HttpResponse<String> first = send("POST", "/v1/chat/completions", "application/json", streamed, key);
        HttpResponse<String> second = send("POST", "/v1/chat/completions", "application/json", streamed, key);
        HttpResponse<String> third = send("POST", "/v1/chat/completions", "application/json", streamed, key);

        // then: 20 - 12 leaves some budget for the second, which overdraws it
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).doesNotContain("\"usage\"");
        assertThat(second.statusCode()).isEqualTo(200);
        assertError(third, 429, "rate_limit_exceeded");
    }

    @Test
    void should_hold_requests_to_the_keys_max_tokens_ceiling() {
        // given
        String key = createKey("{\"name\": \"capped\", \"max_tokens\": 100}").path("key").asString();

        // when
        HttpResponse<String> tooMany = send("POST", "/v1/chat/completions", "application/json",
                "{\"model\": \"" + expert.id() + "\", \"max_tokens\": 500, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                key);
        HttpResponse<String> unspecified = chat(expert.id(), key);

        // then
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json(tooMany).path("error").path("param").asString()).isEqualTo("max_tokens");
        assertThat(unspecified.statusCode()).isEqualTo(200);
        assertThat(UPSTREAM.lastReceived().body().path("max_tokens").asInt()).isEqualTo(100);
    }

    @Test
    void should_validate_a_key_grant_naming_the_field() {
        assertThat(json(send("POST", "/admin/api/keys", "application/json", "{\"name\": \"\"}"))
                .path("error").path("param").asString()).isEqualTo("name");
        assertThat(json(send("POST", "/admin/api/keys", "application/json", "{\"name\": \"x\", \"requests_per_minute\": -1}"))
                .path("error").path("param").asString()).isEqualTo("requests_per_minute");
        assertThat(json(send("POST", "/admin/api/keys", "application/json", "{\"name\": \"x\", \"expires_at\": \"2001-01-01T00:00:00Z\"}"))
                .path("error").path("param").asString()).isEqualTo("expires_at");
        assertError(send("DELETE", "/admin/api/keys/key_missing", null, null), 404, "key_not_found");
    }

    @Test
    void should_refuse_a_request_with_more_messages_than_allowed() {
        // given
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            messages.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"m\"}");
        }

        // when
        HttpResponse<String> response = postJson("/v1/chat/completions",
                "{\"model\": \"" + expert.id() + "\", \"messages\": [" + messages + "]}");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").path("param").asString()).isEqualTo("messages");
    }
}
