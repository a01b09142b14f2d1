package io.consilium.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.router.ConsiliumApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Random and mutated bodies against every endpoint that takes one: the answer is always a 2xx or a
 * 4xx, a 4xx is always in the OpenAI error shape, and nothing ever shows a stack trace.
 */
class HostileInputProperties {

    private static final String ADMIN_KEY = "fuzz-admin-key";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> ENDPOINTS = List.of("/v1/chat/completions", "/v1/classify", "/v1/routing/explain",
            "/v1/feedback", "/admin/api/experts", "/admin/api/keys", "/admin/api/taxonomy/skills",
            "/admin/api/profiling-jobs", "/v1/batches", "/v1/files", "/v1/messages", "/v1/responses");
    private static final List<String> FIELDS = List.of("model", "messages", "role", "content", "stream", "max_tokens",
            "temperature", "consilium", "k", "fusion", "experts", "allow", "input", "id", "provider", "base_url", "name",
            "items", "question", "answer", "completion_id", "score", "type", "image_url", "n", "stop");

    private static ConfigurableApplicationContext service;
    private static HttpClient http;
    private static String base;

    @BeforeContainer
    static void start() {
        service = SpringApplication.run(ConsiliumApplication.class, "--server.port=0", "--logging.level.root=WARN",
                "--consilium.auth.admin-key=" + ADMIN_KEY, "--consilium.api.max-body-size=64KB");
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) service).getWebServer().getPort();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterContainer
    static void stop() {
        http.close();
        service.close();
    }

    @Property(tries = 300)
    void should_answer_any_json_body_with_a_2xx_or_an_openai_shaped_4xx(
            @ForAll("endpoints") String endpoint, @ForAll("jsonBodies") String body) {
        assertWellBehaved(post(endpoint, "application/json", body.getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 150)
    void should_answer_mutated_valid_requests_with_a_2xx_or_an_openai_shaped_4xx(@ForAll("mutatedChats") String body) {
        assertWellBehaved(post("/v1/chat/completions", "application/json", body.getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 100)
    void should_refuse_bytes_that_are_not_json_or_not_utf8(@ForAll("endpoints") String endpoint,
            @ForAll("garbage") byte[] body, @ForAll("contentTypes") String contentType) {
        assertWellBehaved(post(endpoint, contentType, body));
    }

    @Property(tries = 20)
    void should_refuse_deep_nesting_and_huge_strings(@ForAll("endpoints") String endpoint, @ForAll("extremes") String body) {
        assertWellBehaved(post(endpoint, "application/json", body.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertWellBehaved(HttpResponse<String> response) {
        int status = response.statusCode();
        assertThat(status).as(response.body()).isBetween(200, 499);
        assertThat(response.body()).doesNotContain("\tat ").doesNotContain("Exception:");
        if (status >= 400) {
            JsonNode error = JSON.readTree(response.body()).path("error");
            assertThat(error.path("message").isString()).as(response.body()).isTrue();
            assertThat(error.path("type").isString()).as(response.body()).isTrue();
        }
    }

    private static HttpResponse<String> post(String path, String contentType, byte[] body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(20))
                    .header("authorization", "Bearer " + ADMIN_KEY)
                    .header("content-type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(path + " did not answer", e);
        }
    }

    @Provide
    Arbitrary<String> endpoints() {
        return Arbitraries.of(ENDPOINTS);
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of("application/json", "application/json; charset=latin1", "text/plain",
                "application/x-ndjson", "multipart/form-data; boundary=x", "application/xml", "*/*", "");
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
    }

    @Provide
    Arbitrary<String> jsonBodies() {
        return json(3);
    }

    @Provide
    Arbitrary<String> extremes() {
        return Arbitraries.of(
                "[".repeat(5_000) + "]".repeat(5_000),
                "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000),
                "{\"model\": \"mock-math\", \"messages\": [{\"role\": \"user\", \"content\": \"" + "x".repeat(60_000) + "\"}]}",
                "{\"model\": \"" + "m".repeat(60_000) + "\", \"messages\": []}",
                "{\"input\": \"" + "\\ud800".repeat(2_000) + "\"}",
                "{\"model\": \"mock-math\", \"max_tokens\": 1e308, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "{\"model\": \"mock-math\", \"n\": 99999999999999999999999, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
    }

    /** A valid chat request with one field replaced by a random value, or one random field added. */
    @Provide
    Arbitrary<String> mutatedChats() {
        Arbitrary<String> field = Arbitraries.of(FIELDS);
        return Combinators.combine(Arbitraries.of("mock-math", "consilium/auto", "consilium/route", "no-such-model"),
                field, value(2), Arbitraries.of(true, false)).as((model, name, value, nested) -> {
                    String message = nested ? "{\"role\": \"user\", \"" + name + "\": " + value + "}"
                            : "{\"role\": \"user\", \"content\": \"What is 2+2?\"}";
                    String extra = nested ? "" : ", \"" + name + "\": " + value;
                    return "{\"model\": \"" + model + "\", \"messages\": [" + message + "]" + extra + "}";
                });
    }

    private static Arbitrary<String> json(int depth) {
        Arbitrary<String> value = value(depth);
        return Arbitraries.oneOf(
                value,
                Combinators.combine(Arbitraries.of(FIELDS), value).as((k, v) -> "{\"" + k + "\": " + v + "}")
                        .list().ofMaxSize(5).map(pairs -> "{" + String.join(", ", pairs.stream()
                                .map(p -> p.substring(1, p.length() - 1)).toList()) + "}"));
    }

    private static Arbitrary<String> value(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(HostileInputProperties::quoted),
                Arbitraries.of(FIELDS).map(HostileInputProperties::quoted),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "-0", "1e999", "\"\"", "\"mock-math\"", "\"user\"",
                        "\"consilium/auto\"", "\"symbolic-moe\"", "\"vote\""));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> nested = Arbitraries.lazy(() -> value(depth - 1));
        return Arbitraries.oneOf(scalar,
                nested.list().ofMaxSize(4).map(items -> "[" + String.join(", ", items) + "]"),
                Combinators.combine(Arbitraries.of(FIELDS), nested).as((k, v) -> quoted(k) + ": " + v)
                        .list().ofMaxSize(4).map(pairs -> "{" + String.join(", ", pairs) + "}"));
    }

    private static String quoted(String text) {
        return JSON.writeValueAsString(text);
    }
}
