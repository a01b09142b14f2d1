package io.consilium.router.experts;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ExpertAdminIT extends RunningService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();
    private static final String SECRET = "sk-admin-test-secret-value";

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    private String body(String id) {
        return """
                {"id": "%s", "provider": "openai", "base_url": "%s", "model": "served-model",
                 "api_key": "%s", "roles": ["expert", "aggregator"], "skills": ["math.algebra", "law"],
                 "cost": {"input_per_mtok": 0.2, "output_per_mtok": 0.6},
                 "limits": {"max_concurrency": 4, "timeout": "20s", "context_tokens": 8192},
                 "system_prompt": "You are precise.", "apis": ["chat_completions", "responses"]}""".formatted(id,
                UPSTREAM.baseUrl(), SECRET);
    }

    @Test
    void should_create_read_update_and_delete_an_expert_without_ever_showing_its_key() {
        // when: create
        HttpResponse<String> created = postJson("/admin/api/experts", body("admin-crud"));

        // then
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("location")).contains("/admin/api/experts/admin-crud");
        JsonNode shown = json(created);
        assertThat(shown.path("api_key").asString()).isEqualTo("********");
        assertThat(shown.path("limits").path("timeout").asString()).isEqualTo("20s");
        assertThat(shown.path("cost").path("output_per_mtok").asDouble()).isEqualTo(0.6);
        assertThat(created.body()).doesNotContain(SECRET);
        assertThat(shown.has("mock")).as("a mock block on an openai expert").isFalse();
        assertThat(shown.path("apis").toString()).isEqualTo("[\"chat_completions\",\"responses\"]");

        // when: read and list
        HttpResponse<String> read = send("GET", "/admin/api/experts/admin-crud", null, null);
        HttpResponse<String> list = send("GET", "/admin/api/experts", null, null);

        // then
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).doesNotContain(SECRET);
        assertThat(list.body()).contains("admin-crud").doesNotContain(SECRET);
        assertThat(send("GET", "/v1/models", null, null).body()).contains("admin-crud");

        // when: update sending back what GET returned (masked key) with a change
        String changed = read.body().replace("You are precise.", "You are very precise.");
        HttpResponse<String> updated = send("PUT", "/admin/api/experts/admin-crud", "application/json", changed);

        // then: the change applies and the stored key is still the real one
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(json(updated).path("system_prompt").asString()).isEqualTo("You are very precise.");
        assertThat(json(updated).path("apis").toString()).isEqualTo("[\"chat_completions\",\"responses\"]");

        // when: a definition replaced without apis
        HttpResponse<String> chatOnly = send("PUT", "/admin/api/experts/admin-crud", "application/json",
                read.body().replace(",\"apis\":[\"chat_completions\",\"responses\"]", ""));

        // then: the default applies, as for every field a PUT leaves out
        assertThat(chatOnly.statusCode()).as(chatOnly.body()).isEqualTo(200);
        assertThat(json(chatOnly).path("apis").toString()).isEqualTo("[\"chat_completions\"]");
        assertThat(registry.find("admin-crud").orElseThrow().apiKey().reveal()).isEqualTo(SECRET);

        // when: delete
        HttpResponse<String> deleted = send("DELETE", "/admin/api/experts/admin-crud", null, null);

        // then
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(send("GET", "/admin/api/experts/admin-crud", null, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/admin/api/experts/admin-crud", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void should_refuse_a_duplicate_id_with_409() {
        postJson("/admin/api/experts", body("admin-dup"));

        HttpResponse<String> again = postJson("/admin/api/experts", body("admin-dup"));

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).path("error").path("code").asString()).isEqualTo("expert_exists");
    }

    @Test
    void should_reject_invalid_definitions_naming_the_field() {
        HttpResponse<String> badUrl = postJson("/admin/api/experts",
                body("admin-bad-url").replace(UPSTREAM.baseUrl(), "file:///etc/passwd"));
        HttpResponse<String> badSkill = postJson("/admin/api/experts", body("admin-bad-skill").replace("\"law\"", "\"cooking\""));
        HttpResponse<String> unknownField = postJson("/admin/api/experts", body("admin-typo").replace("base_url", "base_uri"));
        HttpResponse<String> badTimeout = postJson("/admin/api/experts", body("admin-bad-timeout").replace("20s", "soon"));
        HttpResponse<String> responsesOnAnthropic = postJson("/admin/api/experts", body("admin-bad-apis")
                .replace("\"openai\"", "\"anthropic\""));
        HttpResponse<String> unknownApi = postJson("/admin/api/experts", body("admin-unknown-api")
                .replace("\"responses\"]", "\"assistants\"]"));

        assertThat(badUrl.statusCode()).isEqualTo(400);
        assertThat(json(badUrl).path("error").path("param").asString()).isEqualTo("base_url");
        assertThat(json(badSkill).path("error").path("message").asString()).contains("cooking");
        assertThat(json(unknownField).path("error").path("message").asString()).contains("base_uri");
        assertThat(json(badTimeout).path("error").path("param").asString()).isEqualTo("limits.timeout");
        assertThat(responsesOnAnthropic.statusCode()).isEqualTo(400);
        assertThat(json(responsesOnAnthropic).path("error").path("param").asString()).isEqualTo("apis");
        assertThat(json(responsesOnAnthropic).path("error").path("message").asString())
                .contains("openai and ollama, not anthropic");
        assertThat(unknownApi.statusCode()).isEqualTo(400);
        assertThat(json(unknownApi).path("error").path("message").asString()).contains("assistants");
        assertThat(registry.find("admin-bad-apis")).isEmpty();
        assertThat(registry.find("admin-bad-url")).isEmpty();
    }

    @Test
    void should_report_latency_of_a_working_expert_and_the_error_of_a_failing_one() {
        // given
        postJson("/admin/api/experts", body("admin-probe"));

        // when
        HttpResponse<String> working = postJson("/admin/api/experts/admin-probe/test", "");
        UPSTREAM.enqueue(Reply.error(401, "invalid api key"));
        HttpResponse<String> failing = postJson("/admin/api/experts/admin-probe/test", "");

        // then
        assertThat(working.statusCode()).isEqualTo(200);
        assertThat(json(working).path("ok").asBoolean()).isTrue();
        assertThat(json(working).path("reply").asString()).startsWith("echo:");
        assertThat(json(working).path("latency_ms").isNumber()).isTrue();
        assertThat(json(failing).path("ok").asBoolean()).isFalse();
        assertThat(json(failing).path("error").path("message").asString()).contains("401").doesNotContain(SECRET);
    }
}
