package io.consilium.router.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.testing.FakeAnthropicUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * An upstream that quotes the key it was sent, in any spelling, cannot get it to a caller, a log or a
 * metric: any stored secret is redacted from upstream texts, however short. {@code hunter2} is too short
 * and too plain for a pattern that guesses what a key looks like.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretRedactionIT extends RunningService {

    private static final String KEY = "hunter2";
    private static final AtomicInteger IDS = new AtomicInteger();

    /** Refuses every request with 401, quoting the key in every form. */
    private static final FakeOpenAiUpstream OPENAI_REFUSING = FakeOpenAiUpstream.start().answerWith(
            (exchange, request, upstream) -> FakeOpenAiUpstream.Reply.error(401, quoting(bearer(
                    exchange.getRequestHeaders().getFirst("authorization")))).send(exchange, request, upstream));
    /** Fails streams after the first piece and plain calls with a 500, quoting the key in every form. */
    private static final FakeOpenAiUpstream OPENAI_FAILING_MIDWAY = FakeOpenAiUpstream.start().answerWith(
            (exchange, request, upstream) -> {
                String quote = quoting(bearer(exchange.getRequestHeaders().getFirst("authorization")));
                (request.path("stream").asBoolean(false)
                        ? FakeOpenAiUpstream.Reply.streamThenError(List.of("Half an "), quote)
                        : FakeOpenAiUpstream.Reply.error(500, quote)).send(exchange, request, upstream);
            });
    private static final FakeAnthropicUpstream ANTHROPIC_REFUSING = FakeAnthropicUpstream.start().answerWith(
            (exchange, request, upstream) -> FakeAnthropicUpstream.Reply.error(401, "authentication_error",
                    quoting(exchange.getRequestHeaders().getFirst("x-api-key"))).send(exchange, request, upstream));
    private static final FakeAnthropicUpstream ANTHROPIC_FAILING_MIDWAY = FakeAnthropicUpstream.start().answerWith(
            (exchange, request, upstream) -> {
                String quote = quoting(exchange.getRequestHeaders().getFirst("x-api-key"));
                (request.path("stream").asBoolean(false)
                        ? FakeAnthropicUpstream.Reply.streamThenError(List.of("Half an "), "overloaded_error", quote)
                        : FakeAnthropicUpstream.Reply.error(500, "api_error", quote)).send(exchange, request, upstream);
            });

    @AfterAll
    static void stopUpstreams() {
        OPENAI_REFUSING.close();
        OPENAI_FAILING_MIDWAY.close();
        ANTHROPIC_REFUSING.close();
        ANTHROPIC_FAILING_MIDWAY.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void should_never_show_a_short_key_in_any_form_when_the_upstream_quotes_it_in_its_refusal(String provider,
            CapturedOutput output) {
        // given
        String baseUrl = provider.equals("openai") ? OPENAI_REFUSING.baseUrl() : ANTHROPIC_REFUSING.baseUrl();
        String id = registered(provider, baseUrl);

        // when
        List<HttpResponse<String>> responses = callEveryWay(id);

        // then: the upstream's words arrive, its quote of the key does not
        assertThat(responses).allSatisfy(response -> assertThat(response.body())
                .as(response.body()).contains("Incorrect API key provided"));
        assertNoFormOfTheKeyIn(responses, output);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void should_never_show_a_short_key_in_any_form_when_the_upstream_quotes_it_in_an_error_mid_stream(String provider,
            CapturedOutput output) {
        // given
        String baseUrl = provider.equals("openai") ? OPENAI_FAILING_MIDWAY.baseUrl() : ANTHROPIC_FAILING_MIDWAY.baseUrl();
        String id = registered(provider, baseUrl);

        // when
        List<HttpResponse<String>> responses = callEveryWay(id);

        // then: the stream started, then ended with the upstream's (redacted) error
        HttpResponse<String> streamed = responses.get(1);
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).contains("Half an ", "\"error\"", "Incorrect API key provided");
        assertNoFormOfTheKeyIn(responses, output);
    }

    /** Chat, streamed chat and the admin test, each of which relays the upstream's error message. */
    private List<HttpResponse<String>> callEveryWay(String id) {
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (boolean stream : List.of(false, true)) {
            responses.add(postJson("/v1/chat/completions", "{\"model\": \"" + id + "\", \"stream\": " + stream
                    + ", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"));
        }
        responses.add(send("POST", "/admin/api/experts/" + id + "/test", null, null));
        return responses;
    }

    private void assertNoFormOfTheKeyIn(List<HttpResponse<String>> responses, CapturedOutput output) {
        List<String> bodies = new ArrayList<>(responses.stream().map(HttpResponse::body).toList());
        bodies.add(send("GET", "/actuator/prometheus", null, null).body());
        bodies.add(output.getAll());
        for (String form : forms(KEY)) {
            assertThat(bodies).allSatisfy(body -> assertThat(body).as("showing '%s'", form).doesNotContain(form));
        }
    }

    private String registered(String provider, String baseUrl) {
        String id = "redaction-" + IDS.incrementAndGet();
        HttpResponse<String> created = postJson("/admin/api/experts", """
                {"id": "%s", "provider": "%s", "base_url": "%s", "model": "m", "api_key": "%s"}
                """.formatted(id, provider, baseUrl, KEY));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return id;
    }

    /** What some upstreams do: quote the refused key back, here in each spelling a key travels in. */
    private static String quoting(String key) {
        return "Incorrect API key provided: " + key + ". Sent as " + String.join(", ", forms(key)) + ".";
    }

    /**
     * The key as sent, percent-encoded (every byte, in either case of hex), base64 and base64url with and
     * without padding, and inside base64 of a basic-auth pair, where it does not start on a 3-byte boundary.
     */
    private static List<String> forms(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        StringBuilder percent = new StringBuilder();
        for (byte b : bytes) {
            percent.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        return List.of(key, percent.toString(), percent.toString().toLowerCase(Locale.ROOT),
                Base64.getEncoder().encodeToString(bytes),
                Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                Base64.getEncoder().encodeToString(("user:" + key).getBytes(StandardCharsets.UTF_8)));
    }

    private static String bearer(String authorization) {
        return authorization.substring("Bearer ".length());
    }
}
