package io.consilium.router.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Provider keys stay secret on every way out: responses, error messages (even when an upstream echoes
 * the key back), logs and metrics.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsIT extends RunningService {

    private static final String PROVIDER_KEY = "sk-provider-0123456789abcdefghij";
    /** An upstream that refuses the key and, like some real ones, quotes it in its error message. */
    private static final FakeOpenAiUpstream ECHOING = FakeOpenAiUpstream.start().answerWith((exchange, request, upstream) ->
            Reply.json(401, "{\"error\": {\"message\": \"Incorrect API key provided: "
                    + exchange.getRequestHeaders().getFirst("authorization") + "\"}}").send(exchange, request, upstream));
    private static final FakeOpenAiUpstream FAILING = FakeOpenAiUpstream.start().answerWith(Reply.error(500, "boom"));

    @AfterAll
    static void stopUpstreams() {
        ECHOING.close();
        FAILING.close();
    }

    @Test
    void should_never_show_a_provider_key_in_responses_logs_or_metrics(CapturedOutput output) {
        // given
        List<HttpResponse<String>> responses = new ArrayList<>();
        responses.add(register("secret-echo", ECHOING.baseUrl()));
        responses.add(register("secret-fail", FAILING.baseUrl()));

        // when: the experts are read, tested and called, directly and through the virtual models, and fail
        for (String id : List.of("secret-echo", "secret-fail")) {
            responses.add(send("GET", "/admin/api/experts/" + id, null, null));
            responses.add(send("POST", "/admin/api/experts/" + id + "/test", null, null));
            for (boolean stream : List.of(false, true)) {
                responses.add(postJson("/v1/chat/completions", "{\"model\": \"" + id + "\", \"stream\": " + stream
                        + ", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"));
            }
        }
        responses.add(postJson("/v1/chat/completions", "{\"model\": \"consilium/auto\", \"messages\": [{\"role\": "
                + "\"user\", \"content\": \"hi\"}], \"consilium\": {\"experts\": {\"allow\": [\"secret-echo\", \"secret-fail\"]}}}"));
        responses.add(send("GET", "/admin/api/experts", null, null));
        responses.add(send("GET", "/actuator/prometheus", null, null));

        // then: the key reached the upstream, and nowhere else
        assertThat(ECHOING.lastReceived().headers().get("authorization")).isEqualTo("Bearer " + PROVIDER_KEY);
        assertThat(responses).allSatisfy(response -> assertThat(response.body()).doesNotContain(PROVIDER_KEY));
        assertThat(responses.get(2).statusCode()).isEqualTo(200);
        assertThat(output.getAll()).doesNotContain(PROVIDER_KEY);
    }

    private HttpResponse<String> register(String id, String baseUrl) {
        HttpResponse<String> response = postJson("/admin/api/experts", """
                {"id": "%s", "provider": "openai", "base_url": "%s", "model": "m", "api_key": "%s"}
                """.formatted(id, baseUrl, PROVIDER_KEY));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response;
    }
}
