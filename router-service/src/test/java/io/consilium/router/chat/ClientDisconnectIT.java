package io.consilium.router.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertApi;
import io.consilium.registry.Limits;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.router.RunningService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A client that hangs up while experts are still working stops their calls: each call ends as
 * {@code client_gone} long before the expert's own timeout, whatever the model and streaming mode.
 */
class ClientDisconnectIT extends RunningService {

    /** Never answers; only a cancelled call ends early. */
    private static final FakeOpenAiUpstream SILENT = FakeOpenAiUpstream.start().answerWith(Reply.hang());
    private static final Limits PATIENT = new Limits(8, Duration.ofSeconds(50), 8192);

    @Autowired
    private MeterRegistry meters;

    @AfterAll
    static void stopUpstream() {
        SILENT.close();
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void should_cancel_a_direct_call_when_the_client_hangs_up(boolean stream) throws Exception {
        // given
        Expert expert = registerRemote(SILENT.baseUrl(), b -> b.limits(PATIENT));
        int callsBefore = SILENT.calls();

        // when: the client sends its request, waits until the expert has it, then hangs up
        sendAndHangUp("{\"model\": \"" + expert.id() + "\", \"stream\": " + stream
                + ", \"messages\": [{\"role\": \"user\", \"content\": \"Tell me a long story.\"}]}", callsBefore + 1);

        // then
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(clientGoneCalls(expert)).isEqualTo(1));
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void should_cancel_every_recruited_expert_when_the_client_hangs_up(boolean stream) throws Exception {
        // given: two experts, both recruited, neither answering
        Expert first = registerRemote(SILENT.baseUrl(), b -> b.limits(PATIENT).skills(List.of("math.calculus")));
        Expert second = registerRemote(SILENT.baseUrl(), b -> b.limits(PATIENT).skills(List.of("math.calculus")));
        int callsBefore = SILENT.calls();

        // when
        sendAndHangUp("{\"model\": \"consilium/auto\", \"stream\": " + stream + ", \"messages\": [{\"role\": \"user\", "
                + "\"content\": \"What is the derivative of x^2?\"}], \"consilium\": {\"k\": 2, \"fusion\": \"vote\", "
                + "\"experts\": {\"allow\": [\"" + first.id() + "\", \"" + second.id() + "\"]}}}", callsBefore + 2);

        // then
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(clientGoneCalls(first)).isEqualTo(1);
            assertThat(clientGoneCalls(second)).isEqualTo(1);
        });
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void should_cancel_a_responses_call_forwarded_natively_when_the_client_hangs_up(boolean stream) throws Exception {
        // given: an expert whose endpoint serves the Responses API, so the request goes to its /responses
        Expert expert = registerRemote(SILENT.baseUrl(), b -> b.limits(PATIENT)
                .apis(EnumSet.of(ExpertApi.CHAT_COMPLETIONS, ExpertApi.RESPONSES)));
        int callsBefore = SILENT.calls();

        // when
        sendAndHangUp("/v1/responses", "{\"model\": \"" + expert.id() + "\", \"stream\": " + stream
                + ", \"input\": \"Tell me a long story.\"}", callsBefore + 1);

        // then
        assertThat(SILENT.lastReceived().path()).isEqualTo("/v1/responses");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(clientGoneCalls(expert)).isEqualTo(1));
    }

    private void sendAndHangUp(String json, int upstreamCallsToWaitFor) throws IOException {
        sendAndHangUp("/v1/chat/completions", json, upstreamCallsToWaitFor);
    }

    /** Writes the request on a raw connection, waits until the upstream has seen the calls, then closes it. */
    private void sendAndHangUp(String path, String json, int upstreamCallsToWaitFor) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN_KEY + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> SILENT.calls() >= upstreamCallsToWaitFor);
        }
    }

    private long clientGoneCalls(Expert expert) {
        Timer timer = meters.find("consilium.expert.calls").tag("expert", expert.id())
                .tag("outcome", CallOutcome.CLIENT_GONE.tag()).timer();
        return timer == null ? 0 : timer.count();
    }
}
