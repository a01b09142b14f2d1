package io.consilium.router.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Secret;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A provider key stays bound to the endpoint it was given for: an admin (or a stolen admin session) who
 * points an expert somewhere else must send the key again, so the stored key cannot be walked over to a
 * host of their choosing and read from its requests.
 */
class KeyBindingIT extends RunningService {

    private static final FakeOpenAiUpstream GIVEN_FOR = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream ELSEWHERE = FakeOpenAiUpstream.start();
    private static final AtomicInteger IDS = new AtomicInteger();

    @AfterAll
    static void stopUpstreams() {
        GIVEN_FOR.close();
        ELSEWHERE.close();
    }

    @BeforeEach
    void resetUpstreams() {
        GIVEN_FOR.reset();
        ELSEWHERE.reset();
    }

    @Test
    void should_refuse_moving_an_expert_to_another_base_url_when_the_request_carries_the_masked_key() {
        // given
        String id = registered();

        // when
        HttpResponse<String> refused = put(id, "openai", ELSEWHERE.baseUrl(), "\"api_key\": \"" + Secret.MASK + "\", ");
        chat(id);

        // then
        assertRefusedForTheKey(refused);
        assertThat(registry.find(id).orElseThrow().baseUrl()).hasToString(GIVEN_FOR.baseUrl());
        assertThat(ELSEWHERE.received()).noneMatch(request -> String.valueOf(request.headers().get("authorization"))
                .contains(keyOf(id)));
        assertThat(GIVEN_FOR.lastReceived().headers().get("authorization")).isEqualTo("Bearer " + keyOf(id));
    }

    @Test
    void should_refuse_moving_an_expert_to_another_base_url_when_the_request_omits_the_key() {
        // given
        String id = registered();

        // when
        HttpResponse<String> refused = put(id, "openai", ELSEWHERE.baseUrl(), "");
        chat(id);

        // then
        assertRefusedForTheKey(refused);
        assertThat(registry.find(id).orElseThrow().baseUrl()).hasToString(GIVEN_FOR.baseUrl());
        assertThat(ELSEWHERE.calls()).isZero();
    }

    @Test
    void should_refuse_changing_the_provider_when_the_request_keeps_the_key() {
        // given
        String id = registered();

        // when
        HttpResponse<String> refused = put(id, "ollama", GIVEN_FOR.baseUrl(), "\"api_key\": \"" + Secret.MASK + "\", ");

        // then
        assertRefusedForTheKey(refused);
        assertThat(registry.find(id).orElseThrow().provider().id()).isEqualTo("openai");
    }

    @Test
    void should_move_an_expert_when_its_key_is_sent_again() {
        // given
        String id = registered();
        String newKey = "sk-binding-moved-" + id;

        // when
        HttpResponse<String> moved = put(id, "openai", ELSEWHERE.baseUrl(), "\"api_key\": \"" + newKey + "\", ");
        chat(id);

        // then
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(moved.body()).doesNotContain(newKey);
        assertThat(ELSEWHERE.lastReceived().headers().get("authorization")).isEqualTo("Bearer " + newKey);
    }

    @Test
    void should_move_an_expert_without_a_key_when_api_key_is_null() {
        // given
        String id = registered();

        // when
        HttpResponse<String> moved = put(id, "openai", ELSEWHERE.baseUrl(), "\"api_key\": null, ");
        chat(id);

        // then
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(json(moved).path("api_key").isString()).as(moved.body()).isFalse();
        assertThat(registry.find(id).orElseThrow().apiKey()).isNull();
        assertThat(ELSEWHERE.lastReceived().headers()).doesNotContainKey("authorization");
    }

    @Test
    void should_keep_the_key_when_the_endpoint_stays_and_the_key_is_masked_or_omitted() {
        // given
        String id = registered();
        String key = keyOf(id);

        // when
        HttpResponse<String> masked = put(id, "openai", GIVEN_FOR.baseUrl(), "\"api_key\": \"" + Secret.MASK + "\", ");
        HttpResponse<String> omitted = put(id, "openai", GIVEN_FOR.baseUrl(), "");

        // then
        assertThat(masked.statusCode()).as(masked.body()).isEqualTo(200);
        assertThat(omitted.statusCode()).as(omitted.body()).isEqualTo(200);
        assertThat(registry.find(id).orElseThrow().apiKey()).isEqualTo(Secret.of(key));
    }

    private static void assertRefusedForTheKey(HttpResponse<String> refused) {
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode error = json(refused).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo("api_key");
        assertThat(error.path("message").asString()).contains("send the key again", "\"api_key\": null");
    }

    /** An expert at the upstream its key was given for, registered through the admin API. */
    private String registered() {
        String id = "binding-" + IDS.incrementAndGet();
        HttpResponse<String> created = postJson("/admin/api/experts", """
                {"id": "%s", "provider": "openai", "base_url": "%s", "model": "m", "api_key": "%s"}
                """.formatted(id, GIVEN_FOR.baseUrl(), keyOf(id)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return id;
    }

    private static String keyOf(String id) {
        return "sk-binding-key-for-" + id;
    }

    private HttpResponse<String> put(String id, String provider, String baseUrl, String keyField) {
        return send("PUT", "/admin/api/experts/" + id, "application/json", """
                {%s"provider": "%s", "base_url": "%s", "model": "m"}""".formatted(keyField, provider, baseUrl));
    }

    private void chat(String id) {
        HttpResponse<String> answer = postJson("/v1/chat/completions",
                "{\"model\": \"" + id + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }
}
