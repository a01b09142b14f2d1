package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.ChatStream;
import io.consilium.registry.EgressPolicy;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertApi;
import io.consilium.registry.ExpertCallMeters;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.ExpertForbiddenException;
import io.consilium.registry.ExpertRejectedRequestException;
import io.consilium.registry.ExpertServerException;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.ExpertUnavailableException;
import io.consilium.registry.Limits;
import io.consilium.registry.LocalModelSettings;
import io.consilium.registry.Provider;
import io.consilium.registry.ResilienceSettings;
import io.consilium.registry.ResponsesAnswer;
import io.consilium.registry.ResponsesRequest;
import io.consilium.registry.UpstreamHttpSettings;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Responses API call of OpenAI-compatible experts that declare it, through the clients the factory builds
 * (egress check, retries before the first byte, circuit breaker, bulkhead, deadline, observation), over the JDK
 * HTTP client; {@link ResponsesCallOverJettyTest} runs the same over Jetty's.
 */
class ResponsesCallTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static FakeOpenAiUpstream UPSTREAM;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<ExpertClients> opened = new ArrayList<>();

    /** The HTTP client under test. */
    protected UpstreamHttpSettings.Client httpClient() {
        return UpstreamHttpSettings.Client.JDK;
    }

    @BeforeAll
    static void startUpstream() {
        UPSTREAM = FakeOpenAiUpstream.startHonouringContract(Duration.ofMillis(1));
    }

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @BeforeEach
    void resetUpstream() {
        UPSTREAM.reset();
    }

    @AfterEach
    void closeClients() {
        opened.forEach(ExpertClients::close);
    }

    private ExpertClients clients(ResilienceSettings resilience, EgressPolicy egress) {
        ExpertClients clients = ExpertClients.create(resilience, meters, egress, LocalModelSettings.ofDefaults(),
                UpstreamHttpSettings.custom().client(httpClient()).build());
        opened.add(clients);
        return clients;
    }

    private ExpertClient client(Expert expert, int retries) {
        return clients(ResilienceSettings.custom().maxRetries(retries).initialBackoff(Duration.ofMillis(5)).build(),
                EgressPolicy.ofDefaults()).clientFor(expert);
    }

    private static Expert.Builder declaring() {
        return Expert.builder("native-" + IDS.incrementAndGet()).provider(Provider.OPENAI).baseUrl(UPSTREAM.baseUrl())
                .model("upstream-model").apiKey("sk-responses-key")
                .apis(EnumSet.of(ExpertApi.CHAT_COMPLETIONS, ExpertApi.RESPONSES));
    }

    private static ResponsesRequest request(String json) {
        return new ResponsesRequest((ObjectNode) JSON.readTree(json));
    }

    private static List<ObjectNode> drain(ChatStream stream) {
        List<ObjectNode> events = new ArrayList<>();
        try (stream) {
            for (Optional<ObjectNode> event = stream.next(); event.isPresent(); event = stream.next()) {
                events.add(event.get());
            }
        }
        return events;
    }

    private double observed(Expert expert, String mode, String outcome) {
        Timer timer = meters.find(ExpertCallMeters.CALLS).tag(ExpertCallMeters.EXPERT, expert.id())
                .tag(ExpertCallMeters.MODE, mode).tag(ExpertCallMeters.OUTCOME, outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private double tokens(Expert expert, String kind) {
        Counter counter = meters.find(ExpertCallMeters.TOKENS).tag(ExpertCallMeters.EXPERT, expert.id())
                .tag(ExpertCallMeters.KIND, kind).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void should_post_the_request_to_responses_with_the_experts_model_prompt_and_key_and_every_other_field() {
        // given
        Expert expert = declaring().systemPrompt("You are a geographer.").build();

        // when
        ResponsesAnswer answer = client(expert, 0).respond(request("""
                {"model": "what-the-caller-named", "input": "Where is Lima?", "instructions": "Be brief.",
                 "reasoning": {"effort": "low"}, "text": {"verbosity": "low"}, "store": false,
                 "consilium": {"k": 2}, "stream": false}"""));

        // then
        var sent = UPSTREAM.lastReceived();
        assertThat(sent.path()).isEqualTo("/v1/responses");
        assertThat(sent.headers()).containsEntry("authorization", "Bearer sk-responses-key");
        assertThat(sent.body().path("model").asString()).isEqualTo("upstream-model");
        assertThat(sent.body().path("instructions").asString()).isEqualTo("You are a geographer.\n\nBe brief.");
        assertThat(sent.body().path("reasoning").path("effort").asString()).isEqualTo("low");
        assertThat(sent.body().path("text").path("verbosity").asString()).isEqualTo("low");
        assertThat(sent.body().path("store").asBoolean(true)).isFalse();
        assertThat(sent.body().has("consilium")).isFalse();
        assertThat(sent.body().has("stream")).isFalse();
        assertThat(answer.body().path("object").asString()).isEqualTo("response");
        assertThat(answer.body().path("output").path(1).path("content").path(0).path("text").asString())
                .isEqualTo("echo: Where is Lima?");
        assertThat(answer.usage().promptTokens()).isPositive();
        assertThat(observed(expert, "chat", "ok")).isEqualTo(1);
        assertThat(tokens(expert, "prompt")).isEqualTo(answer.usage().promptTokens());
        assertThat(tokens(expert, "completion")).isEqualTo(answer.usage().completionTokens());
    }

    @Test
    void should_relay_the_event_sequence_as_it_arrives_and_observe_the_usage_of_response_completed() {
        // given
        Expert expert = declaring().build();

        // when
        List<ObjectNode> events = drain(client(expert, 0).streamResponse(request("""
                {"model": "m", "input": [{"role": "user", "content": "Name three rivers"}]}""")));

        // then
        assertThat(UPSTREAM.lastReceived().path()).isEqualTo("/v1/responses");
        assertThat(UPSTREAM.lastRequestBody().path("stream").asBoolean()).isTrue();
        List<String> types = events.stream().map(event -> event.path("type").asString()).toList();
        assertThat(types.getFirst()).isEqualTo("response.created");
        assertThat(types).containsSubsequence("response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.done", "response.output_item.done",
                "response.completed");
        String text = events.stream().filter(event -> event.path("type").asString().equals("response.output_text.delta"))
                .map(event -> event.path("delta").asString()).reduce("", String::concat);
        assertThat(text).isEqualTo("echo: Name three rivers");
        JsonNode usage = events.getLast().path("response").path("usage");
        assertThat(observed(expert, "stream", "ok")).isEqualTo(1);
        assertThat(tokens(expert, "prompt")).isEqualTo(usage.path("input_tokens").asLong()).isPositive();
        assertThat(tokens(expert, "completion")).isEqualTo(usage.path("output_tokens").asLong()).isPositive();
    }

    @Test
    void should_retry_a_server_error_before_the_first_byte_whole_and_streamed() {
        // given
        Expert expert = declaring().build();
        ExpertClient client = client(expert, 2);
        UPSTREAM.enqueue(Reply.error(503, "overloaded"));

        // when
        ResponsesAnswer answer = client.respond(request("{\"model\": \"m\", \"input\": \"first\"}"));
        UPSTREAM.enqueue(Reply.error(502, "bad gateway"));
        List<ObjectNode> events = drain(client.streamResponse(request("{\"model\": \"m\", \"input\": \"second\"}")));

        // then
        assertThat(answer.body().path("status").asString()).isEqualTo("completed");
        assertThat(events.getLast().path("type").asString()).isEqualTo("response.completed");
        assertThat(UPSTREAM.calls()).isEqualTo(4);
        assertThat(UPSTREAM.received()).allSatisfy(received -> assertThat(received.path()).isEqualTo("/v1/responses"));
    }

    @Test
    void should_not_retry_once_events_have_been_read_and_fail_on_response_failed() {
        // given
        Expert expert = declaring().build();
        UPSTREAM.enqueue(Reply.responsesStreamThenFail("Half an ", "the model crashed"));
        ChatStream stream = client(expert, 2).streamResponse(request("{\"model\": \"m\", \"input\": \"hi\"}"));

        // when
        List<String> read = new ArrayList<>();
        Throwable failure = null;
        try (stream) {
            for (Optional<ObjectNode> event = stream.next(); event.isPresent(); event = stream.next()) {
                read.add(event.get().path("type").asString());
            }
        } catch (RuntimeException e) {
            failure = e;
        }

        // then
        assertThat(read).containsExactly("response.created", "response.output_item.added", "response.output_text.delta");
        assertThat(failure).isInstanceOf(ExpertServerException.class).hasMessageContaining("the model crashed");
        assertThat(UPSTREAM.calls()).isEqualTo(1);
        assertThat(observed(expert, "stream", "upstream_error")).isEqualTo(1);
    }

    @Test
    void should_map_a_refusal_of_the_upstream_to_a_rejected_request_with_its_message() {
        // given: the upstream keeps nothing, so it cannot know a previous response
        Expert expert = declaring().build();

        // when / then
        assertThatThrownBy(() -> client(expert, 2).respond(request(
                "{\"model\": \"m\", \"input\": \"hi\", \"previous_response_id\": \"resp_elsewhere\"}")))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class, rejected -> {
                    assertThat(rejected.status()).isEqualTo(400);
                    assertThat(rejected.upstreamMessage()).contains("resp_elsewhere");
                });
        assertThat(UPSTREAM.calls()).as("a refusal is not retried").isEqualTo(1);
        assertThat(observed(expert, "chat", "rejected")).isEqualTo(1);
    }

    @Test
    void should_stop_at_the_experts_deadline() {
        // given
        Expert expert = declaring().limits(new Limits(4, Duration.ofMillis(300), Limits.DEFAULTS.contextTokens())).build();
        UPSTREAM.hangNext();

        // when / then
        assertThatThrownBy(() -> client(expert, 0).respond(request("{\"model\": \"m\", \"input\": \"hi\"}")))
                .isInstanceOf(ExpertTimeoutException.class);
        assertThat(observed(expert, "chat", "timeout")).isEqualTo(1);
    }

    @Test
    void should_hold_a_bulkhead_slot_while_a_stream_is_open() {
        // given: one call at a time, and no wait for a slot
        Expert expert = declaring().limits(new Limits(1, Duration.ofSeconds(10), Limits.DEFAULTS.contextTokens())).build();
        ExpertClient client = clients(ResilienceSettings.custom().maxRetries(0).bulkheadMaxWait(Duration.ZERO).build(),
                EgressPolicy.ofDefaults()).clientFor(expert);
        UPSTREAM.streamNextWithoutEnd("endless");

        // when
        try (ChatStream open = client.streamResponse(request("{\"model\": \"m\", \"input\": \"hi\"}"))) {
            assertThat(open.next()).isPresent();

            // then
            assertThatThrownBy(() -> client.respond(request("{\"model\": \"m\", \"input\": \"and me?\"}")))
                    .isInstanceOfSatisfying(ExpertUnavailableException.class, e ->
                            assertThat(e.reason()).isEqualTo(ExpertUnavailableException.Reason.AT_CAPACITY));
        }
        assertThat(client.respond(request("{\"model\": \"m\", \"input\": \"now?\"}")).body().path("status").asString())
                .isEqualTo("completed");
    }

    @Test
    void should_open_the_circuit_after_failures_and_refuse_further_calls_without_contacting_the_upstream() {
        // given
        Expert expert = declaring().build();
        ExpertClient client = clients(ResilienceSettings.custom().maxRetries(0).minimumCalls(2).slidingWindowSize(2)
                .openStateWait(Duration.ofMinutes(1)).build(), EgressPolicy.ofDefaults()).clientFor(expert);
        UPSTREAM.answerWith(Reply.error(500, "broken"));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> client.respond(request("{\"model\": \"m\", \"input\": \"hi\"}")))
                    .isInstanceOf(ExpertServerException.class);
        }

        // when / then
        assertThatThrownBy(() -> client.streamResponse(request("{\"model\": \"m\", \"input\": \"hi\"}")))
                .isInstanceOfSatisfying(ExpertUnavailableException.class, e ->
                        assertThat(e.reason()).isEqualTo(ExpertUnavailableException.Reason.CIRCUIT_OPEN));
        assertThat(UPSTREAM.calls()).isEqualTo(2);
    }

    @Test
    void should_check_egress_before_every_call() {
        // given
        Expert expert = declaring().build();
        ExpertClients strict = clients(ResilienceSettings.ofDefaults(), EgressPolicy.custom().allowLoopback(false).build());

        // when / then
        assertThatThrownBy(() -> strict.clientFor(expert).respond(request("{\"model\": \"m\", \"input\": \"hi\"}")))
                .isInstanceOf(ExpertForbiddenException.class);
        assertThatThrownBy(() -> strict.clientFor(expert).streamResponse(request("{\"model\": \"m\", \"input\": \"hi\"}")))
                .isInstanceOf(ExpertForbiddenException.class);
        assertThat(UPSTREAM.calls()).isZero();
    }

    @Test
    void should_drop_the_upstream_connection_when_the_reader_closes_the_stream_early() {
        // given
        Expert expert = declaring().build();
        UPSTREAM.streamNextWithoutEnd("endless");
        // The upstream is shared by the class: count only the hang-ups from here on.
        int hangUpsBefore = UPSTREAM.brokenWrites();
        ChatStream stream = client(expert, 0).streamResponse(request("{\"model\": \"m\", \"input\": \"hi\"}"));
        assertThat(stream.next()).isPresent();

        // when
        stream.close();

        // then
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> UPSTREAM.brokenWrites() > hangUpsBefore);
        assertThat(observed(expert, "stream", "client_gone")).isEqualTo(1);
    }

    @Test
    void should_refuse_the_responses_call_for_an_expert_that_does_not_declare_it() {
        // given
        Expert chatOnly = declaring().apis(EnumSet.of(ExpertApi.CHAT_COMPLETIONS)).build();

        // when / then
        assertThatThrownBy(() -> client(chatOnly, 0).respond(request("{\"model\": \"m\", \"input\": \"hi\"}")))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("Responses API");
        assertThat(UPSTREAM.calls()).isZero();
    }
}
