package io.consilium.router.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Expert;
import io.consilium.registry.Limits;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.router.RunningService;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Every error the API promises, with its status and OpenAI-shaped body. */
class ErrorResponsesIT extends RunningService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @BeforeEach
    void resetUpstream() {
        UPSTREAM.reset();
    }

    private static void assertError(HttpResponse<String> response, int status, String type, String param, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                value -> assertThat(value).startsWith("application/json"));
        JsonNode error = json(response).path("error");
        assertThat(error.path("message").asString()).isNotBlank();
        assertThat(error.path("type").asString()).isEqualTo(type);
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
        if (param != null) {
            assertThat(error.path("param").asString()).isEqualTo(param);
        }
        if (code != null) {
            assertThat(error.path("code").asString()).isEqualTo(code);
        }
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void should_reject_malformed_json() {
        assertError(postJson("/v1/chat/completions", "{\"model\": \"mock-math\", \"messages\": [}"),
                400, "invalid_request_error", null, null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing messages        | {\"model\": \"mock-math\"}                                                   | messages",
            "empty messages          | {\"model\": \"mock-math\", \"messages\": []}                                 | messages",
            "messages not an array   | {\"model\": \"mock-math\", \"messages\": \"hi\"}                             | messages",
            "missing model           | {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}                  | model",
            "model not a string      | {\"model\": 7, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}    | model",
            "unknown role            | {\"model\": \"mock-math\", \"messages\": [{\"role\": \"boss\", \"content\": \"hi\"}]} | messages[0].role",
            "content a number        | {\"model\": \"mock-math\", \"messages\": [{\"role\": \"user\", \"content\": 5}]} | messages[0].content",
            "message not an object   | {\"model\": \"mock-math\", \"messages\": [\"hi\"]}                           | messages[0]",
            "temperature a string    | {\"model\": \"mock-math\", \"temperature\": \"hot\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | temperature",
            "stream not a boolean    | {\"model\": \"mock-math\", \"stream\": \"yes\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | stream",
            "max_tokens negative     | {\"model\": \"mock-math\", \"max_tokens\": -1, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | max_tokens",
            "bad part type           | {\"model\": \"mock-math\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"video\"}]}]} | messages[0].content[0].type",
    })
    void should_reject_a_bad_field_naming_it(String description, String body, String param) {
        assertError(postJson("/v1/chat/completions", body), 400, "invalid_request_error", param, null);
    }

    @Test
    void should_reject_an_empty_body_and_trailing_garbage() {
        assertError(postJson("/v1/chat/completions", ""), 400, "invalid_request_error", null, null);
        assertError(postJson("/v1/chat/completions", "   "), 400, "invalid_request_error", null, null);
        assertError(postJson("/v1/chat/completions",
                "{\"model\": \"mock-math\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} trailing"),
                400, "invalid_request_error", null, null);
    }

    @Test
    void should_reject_a_body_that_is_not_an_object() {
        assertError(postJson("/v1/chat/completions", "[1, 2]"), 400, "invalid_request_error", null, null);
    }

    @Test
    void should_answer_404_model_not_found_for_an_unknown_model() {
        HttpResponse<String> response = postJson("/v1/chat/completions",
                "{\"model\": \"no-such-model\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        assertError(response, 404, "invalid_request_error", "model", "model_not_found");
        assertThat(json(response).path("error").path("message").asString()).contains("no-such-model");
    }

    @Test
    void should_answer_413_for_a_body_over_the_limit_with_a_declared_length() {
        String big = "x".repeat(70 * 1024);
        assertError(postJson("/v1/chat/completions",
                        "{\"model\": \"mock-math\", \"messages\": [{\"role\": \"user\", \"content\": \"" + big + "\"}]}"),
                413, "invalid_request_error", null, "request_too_large");
    }

    @Test
    void should_answer_413_for_a_chunked_body_over_the_limit() throws Exception {
        // given: a body streamed without a content-length
        byte[] body = ("{\"model\": \"mock-math\", \"messages\": [{\"role\": \"user\", \"content\": \""
                + "y".repeat(70 * 1024) + "\"}]}").getBytes();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        // when
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        // then
        assertError(response, 413, "invalid_request_error", null, "request_too_large");
    }

    @Test
    void should_answer_415_when_the_body_is_not_json() {
        assertError(send("POST", "/v1/chat/completions", "text/plain", "hello"),
                415, "invalid_request_error", null, "unsupported_media_type");
    }

    @Test
    void should_answer_405_and_404_for_wrong_methods_and_paths() {
        assertError(send("GET", "/v1/chat/completions", null, null), 405, "invalid_request_error", null, null);
        assertError(send("GET", "/v1/nothing-here", null, null), 404, "invalid_request_error", null, null);
    }

    @Test
    void should_answer_502_naming_the_expert_but_not_its_key_when_the_upstream_fails() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        UPSTREAM.enqueue(Reply.error(500, "a"), Reply.error(500, "b"), Reply.error(500, "c"));

        // when
        HttpResponse<String> response = postJson("/v1/chat/completions",
                "{\"model\": \"" + expert.id() + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");

        // then
        assertError(response, 502, "upstream_error", null, "upstream_error");
        assertThat(json(response).path("error").path("message").asString()).contains(expert.id());
        assertThat(response.body()).doesNotContain(expert.apiKey().reveal());
        assertThat(UPSTREAM.calls()).isEqualTo(3);
    }

    @Test
    void should_answer_504_when_the_expert_does_not_answer_in_time() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl(),
                b -> b.limits(new Limits(4, Duration.ofMillis(400), 4096)));
        UPSTREAM.enqueue(Reply.hang());

        // when
        HttpResponse<String> response = postJson("/v1/chat/completions",
                "{\"model\": \"" + expert.id() + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");

        // then
        assertError(response, 504, "timeout_error", null, "upstream_timeout");
    }

    @Test
    void should_pass_an_upstream_429_on_with_retry_after_once_retries_are_spent() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        UPSTREAM.enqueue(Reply.error(429, "busy", "Retry-After", "600"));

        // when
        HttpResponse<String> response = postJson("/v1/chat/completions",
                "{\"model\": \"" + expert.id() + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");

        // then
        assertError(response, 429, "rate_limit_error", null, "upstream_rate_limited");
        assertThat(response.headers().firstValue("retry-after")).contains("600");
    }

    @Test
    void should_answer_503_with_retry_after_while_the_circuit_is_open() {
        // given: enough failed attempts (the configured minimum of 4) to open the circuit
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        String body = "{\"model\": \"" + expert.id() + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
        for (int i = 0; i < 4; i++) {
            UPSTREAM.enqueue(Reply.error(503, "down"));
        }
        postJson("/v1/chat/completions", body);
        postJson("/v1/chat/completions", body);

        // when
        HttpResponse<String> response = postJson("/v1/chat/completions", body);

        // then
        assertError(response, 503, "service_unavailable_error", null, "expert_unavailable");
        assertThat(response.headers().firstValue("retry-after")).contains("1");
        assertThat(UPSTREAM.calls()).isEqualTo(4);
    }

    @Test
    void should_return_an_upstream_refusal_of_the_request_as_a_400() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        UPSTREAM.enqueue(Reply.error(400, "This model's maximum context length is 4096 tokens"));

        // when
        HttpResponse<String> response = postJson("/v1/chat/completions",
                "{\"model\": \"" + expert.id() + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");

        // then
        assertError(response, 400, "invalid_request_error", null, "upstream_rejected_request");
        assertThat(json(response).path("error").path("message").asString()).contains("maximum context length");
        assertThat(UPSTREAM.calls()).isEqualTo(1);
    }

    @Test
    void should_answer_a_streaming_request_that_fails_before_the_first_byte_with_an_error_status() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        UPSTREAM.enqueue(Reply.error(500, "a"), Reply.error(500, "b"), Reply.error(500, "c"));

        // when
        HttpResponse<String> response = postJson("/v1/chat/completions", "{\"model\": \"" + expert.id()
                + "\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");

        // then
        assertError(response, 502, "upstream_error", null, "upstream_error");
    }

    @Test
    void should_recover_a_stream_whose_first_attempt_fails() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        UPSTREAM.enqueue(Reply.error(503, "warming up"));

        // when
        HttpResponse<String> response = postJson("/v1/chat/completions", "{\"model\": \"" + expert.id()
                + "\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("echo: hi").endsWith("data: [DONE]\n\n");
        assertThat(UPSTREAM.calls()).isEqualTo(2);
    }
}
