package io.consilium.router.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Expert;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every bad embeddings request gets a 4xx in OpenAI's error shape naming the field, and reaches no expert; keys,
 * their model grants and token limits hold on {@code /v1/embeddings} as on chat.
 */
class EmbeddingErrorsIT extends RunningService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();
    private static final String MINILM = "all-minilm-l6-v2";

    private Expert remote;

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @BeforeEach
    void registerExpert() {
        UPSTREAM.reset();
        remote = registerRemote(UPSTREAM.baseUrl(), builder -> builder.roleIds(List.of("embedding")));
    }

    @AfterEach
    void removeExpert() {
        registry.remove(remote.id());
    }

    private static void assertBadField(HttpResponse<String> response, int status, String param) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo(param);
        assertThat(error.path("message").asString()).isNotBlank();
    }

    static Stream<Arguments> badFields() {
        String tooMany = IntStream.rangeClosed(0, EmbeddingRequestValidator.MAX_INPUTS)
                .mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(",", "[", "]"));
        return Stream.of(
                Arguments.of("missing model", "{\"input\": \"x\"}", "model"),
                Arguments.of("model not a string", "{\"model\": 7, \"input\": \"x\"}", "model"),
                Arguments.of("missing input", "{\"model\": \"REMOTE\"}", "input"),
                Arguments.of("empty input", "{\"model\": \"REMOTE\", \"input\": \"\"}", "input"),
                Arguments.of("empty input array", "{\"model\": \"REMOTE\", \"input\": []}", "input"),
                Arguments.of("an empty text in the array", "{\"model\": \"REMOTE\", \"input\": [\"a\", \"\"]}", "input"),
                Arguments.of("a non-string item", "{\"model\": \"REMOTE\", \"input\": [\"a\", {\"text\": \"b\"}]}", "input"),
                Arguments.of("texts and token ids mixed", "{\"model\": \"REMOTE\", \"input\": [\"a\", [1, 2]]}", "input"),
                Arguments.of("a negative token id", "{\"model\": \"REMOTE\", \"input\": [1, -2]}", "input"),
                Arguments.of("an empty token-id array", "{\"model\": \"REMOTE\", \"input\": [[1], []]}", "input"),
                Arguments.of("input an object", "{\"model\": \"REMOTE\", \"input\": {\"a\": 1}}", "input"),
                Arguments.of("too many inputs", "{\"model\": \"REMOTE\", \"input\": " + tooMany + "}", "input"),
                Arguments.of("unknown encoding_format", "{\"model\": \"REMOTE\", \"input\": \"x\", \"encoding_format\": \"int8\"}",
                        "encoding_format"),
                Arguments.of("dimensions zero", "{\"model\": \"REMOTE\", \"input\": \"x\", \"dimensions\": 0}", "dimensions"),
                Arguments.of("dimensions a string", "{\"model\": \"REMOTE\", \"input\": \"x\", \"dimensions\": \"8\"}",
                        "dimensions"),
                Arguments.of("dimensions a fraction", "{\"model\": \"REMOTE\", \"input\": \"x\", \"dimensions\": 8.5}",
                        "dimensions"),
                Arguments.of("user not a string", "{\"model\": \"REMOTE\", \"input\": \"x\", \"user\": 42}", "user"),
                Arguments.of("routing options", "{\"model\": \"consilium/route\", \"input\": \"x\", \"consilium\": {\"k\": 2}}",
                        "consilium"),
                Arguments.of("MiniLM asked for other dimensions", "{\"model\": \"" + MINILM
                        + "\", \"input\": \"x\", \"dimensions\": 128}", "dimensions"),
                Arguments.of("MiniLM given token ids", "{\"model\": \"" + MINILM + "\", \"input\": [101, 7592, 102]}", "input"),
                Arguments.of("token ids to route", "{\"model\": \"consilium/route\", \"input\": [[1, 2]]}", "input"),
                Arguments.of("a chat model", "{\"model\": \"mock-math\", \"input\": \"x\"}", "model"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFields")
    void should_refuse_a_bad_field_with_a_400_naming_it(String problem, String body, String param) {
        // when
        HttpResponse<String> response = postJson("/v1/embeddings", body.replace("REMOTE", remote.id()));

        // then
        assertBadField(response, 400, param);
        assertThat(UPSTREAM.calls()).isZero();
    }

    @Test
    void should_answer_404_for_a_model_that_does_not_exist() {
        HttpResponse<String> response = postJson("/v1/embeddings", "{\"model\": \"no-such-model\", \"input\": \"x\"}");

        assertBadField(response, 404, "model");
        assertThat(json(response).path("error").path("code").asString()).isEqualTo("model_not_found");
    }

    @Test
    void should_refuse_chat_completions_from_an_embedding_expert_naming_model() {
        HttpResponse<String> response = postJson("/v1/chat/completions", """
                {"model": "%s", "messages": [{"role": "user", "content": "hi"}]}""".formatted(MINILM));

        assertBadField(response, 400, "model");
        assertThat(json(response).path("error").path("message").asString()).contains("/v1/embeddings");
    }

    @Test
    void should_relay_an_upstream_refusal_as_a_400() {
        // when: the fake upstream serves at most 64 dimensions
        HttpResponse<String> response = postJson("/v1/embeddings", """
                {"model": "%s", "input": "x", "dimensions": 4096}""".formatted(remote.id()));

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).path("error").path("code").asString()).isEqualTo("upstream_rejected_request");
        assertThat(json(response).path("error").path("message").asString()).contains("dimensions")
                .doesNotContain("sk-upstream");
    }

    @Test
    void should_refuse_an_input_longer_than_the_experts_context_window() {
        // given
        Expert small = registerRemote(UPSTREAM.baseUrl(), builder -> builder.roleIds(List.of("embedding"))
                .limits(new io.consilium.registry.Limits(4, java.time.Duration.ofSeconds(10), 8)));
        try {
            // when
            HttpResponse<String> response = postJson("/v1/embeddings", """
                    {"model": "%s", "input": ["short", "%s"]}""".formatted(small.id(), "word ".repeat(20)));

            // then
            assertBadField(response, 400, "input");
            assertThat(json(response).path("error").path("code").asString()).isEqualTo("context_length_exceeded");
            assertThat(UPSTREAM.calls()).isZero();
        } finally {
            registry.remove(small.id());
        }
    }

    @Test
    void should_need_a_key_and_keep_to_its_model_grant_and_token_limit() {
        // given: a key for this expert only, 10 tokens a minute; each text below is 4 words, 4 tokens upstream
        HttpResponse<String> created = send("POST", "/admin/api/keys", "application/json",
                "{\"name\": \"embed\", \"models\": [\"" + remote.id() + "\"], \"tokens_per_minute\": 10}");
        String key = json(created).path("key").asString();
        String body = "{\"model\": \"" + remote.id() + "\", \"input\": [\"one two three four\", \"five six seven eight\"]}";

        // when
        HttpResponse<String> anonymous = send("POST", "/v1/embeddings", "application/json", body, null);
        HttpResponse<String> otherModel = send("POST", "/v1/embeddings", "application/json",
                "{\"model\": \"" + MINILM + "\", \"input\": \"x\"}", key);
        HttpResponse<String> first = send("POST", "/v1/embeddings", "application/json", body, key);
        HttpResponse<String> second = send("POST", "/v1/embeddings", "application/json", body, key);
        HttpResponse<String> third = send("POST", "/v1/embeddings", "application/json", body, key);

        // then: 8 tokens charged each time; the third request finds the budget overdrawn
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(otherModel.statusCode()).as(otherModel.body()).isEqualTo(403);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(json(first).path("usage").path("prompt_tokens").asLong()).isEqualTo(8);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(json(third).path("error").path("code").asString()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void should_refuse_a_body_over_the_size_limit_with_a_413() {
        // the service under test takes bodies up to 64 KB
        String body = "{\"model\": \"" + remote.id() + "\", \"input\": \"" + "a".repeat(70 * 1024) + "\"}";

        assertThat(postJson("/v1/embeddings", body).statusCode()).isEqualTo(413);
        assertThat(UPSTREAM.calls()).isZero();
    }
}
