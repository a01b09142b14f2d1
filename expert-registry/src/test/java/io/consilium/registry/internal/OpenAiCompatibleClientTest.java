package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.EgressPolicy;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.ExpertConnectionException;
import io.consilium.registry.ExpertProtocolException;
import io.consilium.registry.ExpertRateLimitedException;
import io.consilium.registry.ExpertRejectedRequestException;
import io.consilium.registry.ExpertServerException;
import io.consilium.registry.Limits;
import io.consilium.registry.LocalModelSettings;
import io.consilium.registry.Provider;
import io.consilium.registry.ResilienceSettings;
import io.consilium.registry.UpstreamHttpSettings;
import io.consilium.registry.testing.ExpertClientContract;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.registry.testing.FakeUpstream;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAI-compatible client, on a fake upstream, over the JDK HTTP client: the {@link ExpertClientContract}
 * and what is particular to it. {@link OpenAiCompatibleClientOverJettyTest} runs the same over Jetty's.
 */
class OpenAiCompatibleClientTest extends ExpertClientContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** One upstream per test class, so that each transport's run starts on a fresh server. */
    private static FakeOpenAiUpstream UPSTREAM;
    private UpstreamTransport http;

    @BeforeAll
    static void startUpstream() {
        UPSTREAM = FakeOpenAiUpstream.start();
    }

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    /** The HTTP client under test. */
    protected UpstreamHttpSettings.Client httpClient() {
        return UpstreamHttpSettings.Client.JDK;
    }

    @BeforeEach
    void resetUpstream() {
        UPSTREAM.reset();
        http = UpstreamTransport.of(upstreamHttp(), Executors.newVirtualThreadPerTaskExecutor());
    }

    @AfterEach
    void closeTransport() {
        http.close();
    }

    @Override
    protected ExpertClients newClients(ResilienceSettings resilience, MeterRegistry meters) {
        return ExpertClients.create(resilience, meters, EgressPolicy.ofDefaults(), LocalModelSettings.ofDefaults(),
                upstreamHttp());
    }

    private UpstreamHttpSettings upstreamHttp() {
        return UpstreamHttpSettings.custom().client(httpClient()).build();
    }

    private OpenAiCompatibleClient client(Expert.Builder expert) {
        return new OpenAiCompatibleClient(expert.build(), http, JSON);
    }

    private static Expert.Builder expert() {
        return expert("fake").model("upstream-model");
    }

    private static Expert.Builder expert(String id) {
        return Expert.builder(id).provider(Provider.OPENAI).baseUrl(UPSTREAM.baseUrl());
    }

    @Override
    protected Expert.Builder contractExpert(String id) {
        return expert(id);
    }

    @Override
    protected Expert.Builder stalled(Expert.Builder expert) {
        UPSTREAM.hangNext();
        return expert.limits(new Limits(4, SHORT_TIMEOUT, Limits.DEFAULTS.contextTokens()));
    }

    @Override
    protected Optional<FakeUpstream> httpUpstream() {
        return Optional.of(UPSTREAM);
    }

    private static ChatRequest request(String json) {
        return new ChatRequest((ObjectNode) JSON.readTree(json));
    }

    @Test
    void should_hand_over_each_chunk_as_soon_as_the_upstream_writes_it() {
        // given: four pieces, 300 ms apart
        UPSTREAM.answerWith(Reply.stream(List.of("one ", "two ", "three ", "four"), java.time.Duration.ofMillis(300)));
        List<Long> arrivals = new java.util.ArrayList<>();

        // when
        try (io.consilium.registry.ChatStream stream = client(expert()).stream(request("""
                {"model": "fake", "messages": [{"role": "user", "content": "count"}]}"""))) {
            for (Optional<ObjectNode> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
                if (!chunk.get().path("choices").path(0).path("delta").path("content").asString("").isEmpty()) {
                    arrivals.add(System.nanoTime());
                }
            }
        }

        // then: each piece came on its own, not held until the next one (which would put the last three
        // 300 ms closer to the first)
        assertThat(arrivals).hasSize(4);
        assertThat(java.time.Duration.ofNanos(arrivals.getLast() - arrivals.getFirst()))
                .isGreaterThan(java.time.Duration.ofMillis(750));
    }

    @Test
    void should_forward_unknown_fields_untouched_and_substitute_the_model() {
        // given
        ChatRequest request = request("""
                {"model": "fake", "messages": [{"role": "user", "content": "hi"}],
                 "seed": 42, "response_format": {"type": "json_object"},
                 "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
                 "logprobs": true, "x_vendor_flag": [1, 2, 3], "consilium": {"k": 2}}""");

        // when
        ChatCompletion answer = client(expert().apiKey("sk-upstream")).chat(request);

        // then
        JsonNode sent = UPSTREAM.lastReceived().body();
        assertThat(UPSTREAM.lastReceived().path()).isEqualTo("/v1/chat/completions");
        assertThat(UPSTREAM.lastReceived().headers()).containsEntry("authorization", "Bearer sk-upstream");
        assertThat(sent.path("model").asString()).isEqualTo("upstream-model");
        assertThat(sent.path("seed").asInt()).isEqualTo(42);
        assertThat(sent.path("response_format")).isEqualTo(request.body().path("response_format"));
        assertThat(sent.path("tools")).isEqualTo(request.body().path("tools"));
        assertThat(sent.path("logprobs").asBoolean()).isTrue();
        assertThat(sent.path("x_vendor_flag")).isEqualTo(request.body().path("x_vendor_flag"));
        assertThat(sent.has("consilium")).isFalse();
        assertThat(sent.has("stream")).isFalse();
        assertThat(answer.text()).isEqualTo("echo: hi");
        assertThat(answer.usage().promptTokens()).isEqualTo(11);
    }

    @Test
    void should_prepend_the_system_prompt_of_a_prompt_expert() {
        // when
        client(expert().systemPrompt("You are a careful mathematician.")).chat(request("""
                {"model": "fake", "messages": [{"role": "system", "content": "Be brief."},
                                               {"role": "user", "content": "2+2?"}]}"""));

        // then
        JsonNode messages = UPSTREAM.lastReceived().body().path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).path("role").asString()).isEqualTo("system");
        assertThat(messages.get(0).path("content").asString()).isEqualTo("You are a careful mathematician.");
        assertThat(messages.get(1).path("content").asString()).isEqualTo("Be brief.");
    }

    @Test
    void should_stream_chunks_in_order_until_done() {
        // given
        UPSTREAM.enqueue(Reply.stream(List.of("Hel", "lo", "!"), Duration.ZERO));

        // when
        List<String> pieces = new ArrayList<>();
        try (ChatStream stream = client(expert()).stream(request("""
                {"model": "fake", "messages": [{"role": "user", "content": "hi"}]}"""))) {
            for (Optional<ObjectNode> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
                pieces.add(chunk.get().path("choices").path(0).path("delta").path("content").asString(""));
            }
        }

        // then
        assertThat(String.join("", pieces)).isEqualTo("Hello!");
        assertThat(UPSTREAM.lastReceived().body().path("stream").asBoolean()).isTrue();
    }

    @Test
    void should_fail_mid_stream_when_the_connection_drops() {
        // given
        UPSTREAM.enqueue(Reply.streamThenDrop(List.of("partial")));
        ChatStream stream = client(expert()).stream(request("""
                {"model": "fake", "messages": [{"role": "user", "content": "hi"}]}"""));

        // when / then
        assertThat(stream.next()).isPresent();
        assertThatThrownBy(stream::next).isInstanceOf(ExpertConnectionException.class);
        stream.close();
    }

    @Test
    void should_map_statuses_to_exceptions_that_say_whether_to_retry() {
        // given
        UPSTREAM.enqueue(
                Reply.error(429, "slow down", "Retry-After", "3"),
                Reply.error(503, "overloaded"),
                Reply.error(400, "max_tokens is too large"),
                Reply.json(200, "not json"));
        OpenAiCompatibleClient client = client(expert());
        ChatRequest request = request("{\"model\": \"fake\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}");

        // then
        assertThatThrownBy(() -> client.chat(request))
                .isInstanceOfSatisfying(ExpertRateLimitedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(3)));
        assertThatThrownBy(() -> client.chat(request))
                .isInstanceOfSatisfying(ExpertServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.isRetriable()).isTrue();
                });
        assertThatThrownBy(() -> client.chat(request))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class, e -> {
                    assertThat(e.upstreamMessage()).isEqualTo("max_tokens is too large");
                    assertThat(e.isRetriable()).isFalse();
                    assertThat(e.isExpertFault()).isFalse();
                });
        assertThatThrownBy(() -> client.chat(request)).isInstanceOf(ExpertProtocolException.class);
    }

    @Test
    void should_report_a_connection_failure_when_nothing_listens() {
        // given
        FakeOpenAiUpstream gone = FakeOpenAiUpstream.start();
        String url = gone.baseUrl();
        gone.close();
        OpenAiCompatibleClient client = client(expert().baseUrl(url));

        // then
        assertThatThrownBy(() -> client.chat(request("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}")))
                .isInstanceOf(ExpertConnectionException.class)
                .hasMessageContaining("expert 'fake'");
    }
}
