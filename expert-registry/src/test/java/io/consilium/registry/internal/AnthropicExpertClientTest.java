package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertConnectionException;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertRateLimitedException;
import io.consilium.registry.ExpertRejectedRequestException;
import io.consilium.registry.ExpertServerException;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.Limits;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.ExpertClientContract;
import io.consilium.registry.testing.FakeAnthropicUpstream;
import io.consilium.registry.testing.FakeAnthropicUpstream.Reply;
import io.consilium.registry.testing.FakeUpstream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.consilium.registry.EgressPolicy;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.LocalModelSettings;
import io.consilium.registry.ResilienceSettings;
import io.consilium.registry.UpstreamHttpSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Anthropic client, on a fake Messages API, over the JDK HTTP client: the {@link ExpertClientContract} and what
 * is particular to it. {@link AnthropicExpertClientOverJettyTest} runs the same over Jetty's.
 */
class AnthropicExpertClientTest extends ExpertClientContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** One upstream per test class, so that each transport's run starts on a fresh server. */
    private static FakeAnthropicUpstream UPSTREAM;
    private static final String API_KEY = "sk-ant-test";
    private UpstreamTransport http;

    @BeforeAll
    static void startUpstream() {
        UPSTREAM = FakeAnthropicUpstream.start();
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

    private static Expert.Builder expert() {
        return expert("claude").model("claude-test");
    }

    private static Expert.Builder expert(String id) {
        return Expert.builder(id).provider(Provider.ANTHROPIC).baseUrl(UPSTREAM.baseUrl()).apiKey(API_KEY);
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

    private AnthropicExpertClient client(Expert.Builder expert) {
        Expert built = expert.build();
        return new AnthropicExpertClient(built, http, JsonMapper.builder().build(), EgressPolicy.ofDefaults(),
                SecretRedaction.of(built));
    }

    private static ChatRequest request(String json) {
        return new ChatRequest((ObjectNode) JSON.readTree(json));
    }

    private static ChatRequest hello() {
        return request("""
                {"model": "claude", "messages": [{"role": "user", "content": "hi"}]}""");
    }

    private static List<ObjectNode> readAll(ChatStream stream) {
        List<ObjectNode> chunks = new ArrayList<>();
        for (Optional<ObjectNode> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
            chunks.add(chunk.get());
        }
        return chunks;
    }

    private static String content(ObjectNode chunk) {
        return chunk.path("choices").path(0).path("delta").path("content").asString("");
    }

    @Test
    void should_map_a_message_to_an_openai_completion_with_usage() {
        // given
        UPSTREAM.enqueue(Reply.message("Bonjour !", "end_turn", 7));

        // when
        ChatCompletion answer = client(expert()).chat(hello());

        // then
        ObjectNode body = answer.body();
        assertThat(body.path("id").asString()).isEqualTo("msg_1");
        assertThat(body.path("object").asString()).isEqualTo("chat.completion");
        assertThat(body.path("created").asLong()).isPositive();
        assertThat(body.path("model").asString()).isEqualTo("claude-test");
        JsonNode choice = body.path("choices").path(0);
        assertThat(choice.path("message").path("role").asString()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asString()).isEqualTo("Bonjour !");
        assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(FakeAnthropicUpstream.INPUT_TOKENS);
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(7);
        assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(FakeAnthropicUpstream.INPUT_TOKENS + 7);
        assertThat(answer.text()).isEqualTo("Bonjour !");
    }

    @Test
    void should_send_the_model_system_prompt_default_max_tokens_and_api_key_when_chatting() {
        // given
        ChatRequest request = request("""
                {"model": "claude", "messages": [
                  {"role": "system", "content": "Be brief."},
                  {"role": "user", "content": [{"type": "text", "text": "2+2?"}, {"type": "text", "text": "Why?"}]},
                  {"role": "assistant", "content": "4."},
                  {"role": "user", "content": "Sure?"}],
                 "consilium": {"k": 2}}""");

        // when
        client(expert().systemPrompt("You are a careful mathematician.")).chat(request);

        // then
        FakeAnthropicUpstream.Received received = UPSTREAM.lastReceived();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/v1/messages");
        assertThat(received.headers()).containsEntry("x-api-key", API_KEY).containsKey("anthropic-version");
        JsonNode sent = received.body();
        assertThat(sent.path("model").asString()).isEqualTo("claude-test");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(AnthropicMessages.DEFAULT_MAX_TOKENS);
        assertThat(systemText(sent)).isEqualTo("You are a careful mathematician.\n\nBe brief.");
        assertThat(sent.path("messages")).hasSize(3);
        assertThat(sent.path("messages").path(0).path("role").asString()).isEqualTo("user");
        assertThat(text(sent.path("messages").path(0))).isEqualTo("2+2?\nWhy?");
        assertThat(sent.path("messages").path(1).path("role").asString()).isEqualTo("assistant");
        assertThat(text(sent.path("messages").path(1))).isEqualTo("4.");
        assertThat(text(sent.path("messages").path(2))).isEqualTo("Sure?");
        assertThat(sent.has("consilium")).isFalse();
        assertThat(sent.path("stream").asBoolean(false)).isFalse();
    }

    @Test
    void should_map_sampling_options_when_the_request_sets_them() {
        // given
        ChatRequest request = request("""
                {"model": "claude", "messages": [{"role": "user", "content": "hi"}],
                 "max_tokens": 50, "max_completion_tokens": 80, "temperature": 0.3, "top_p": 0.9,
                 "stop": ["END", "STOP"]}""");

        // when
        client(expert()).chat(request);

        // then
        JsonNode sent = UPSTREAM.lastReceived().body();
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(80);
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(sent.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(sent.path("stop_sequences")).extracting(JsonNode::asString).containsExactly("END", "STOP");
    }

    @Test
    void should_accept_a_single_stop_string_and_max_tokens_when_max_completion_tokens_is_absent() {
        // when
        client(expert()).chat(request("""
                {"model": "claude", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 64, "stop": "END"}"""));

        // then
        JsonNode sent = UPSTREAM.lastReceived().body();
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(sent.path("stop_sequences")).extracting(JsonNode::asString).containsExactly("END");
    }

    @Test
    void should_send_an_image_part_as_an_image_block_when_it_is_a_data_url() {
        // given
        ChatRequest request = request("""
                {"model": "claude", "messages": [{"role": "user", "content": [
                  {"type": "text", "text": "What is this?"},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]}]}""");

        // when
        client(expert()).chat(request);

        // then
        JsonNode blocks = UPSTREAM.lastReceived().body().path("messages").path(0).path("content");
        JsonNode image = null;
        for (JsonNode block : blocks) {
            if ("image".equals(block.path("type").asString(""))) {
                image = block;
            }
        }
        assertThat(image).isNotNull();
        assertThat(image.path("source").path("type").asString()).isEqualTo("base64");
        assertThat(image.path("source").path("media_type").asString()).isEqualTo("image/png");
        assertThat(image.path("source").path("data").asString()).isEqualTo("iVBORw0KGgo=");
    }

    @Test
    void should_send_an_image_part_as_a_url_image_when_it_is_an_https_url() {
        // given
        ChatRequest request = request("""
                {"model": "claude", "messages": [{"role": "user", "content": [
                  {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}]}""");

        // when
        client(expert()).chat(request);

        // then
        JsonNode blocks = UPSTREAM.lastReceived().body().path("messages").path(0).path("content");
        assertThat(blocks).hasSize(1);
        assertThat(blocks.path(0).path("type").asString()).isEqualTo("image");
        assertThat(blocks.path(0).path("source").path("type").asString()).isEqualTo("url");
        assertThat(blocks.path(0).path("source").path("url").asString()).isEqualTo("https://example.com/cat.png");
    }

    @Test
    void should_reject_without_calling_the_upstream_when_an_image_is_a_plain_http_url() {
        // given
        ChatRequest request = request("""
                {"model": "claude", "messages": [{"role": "user", "content": [
                  {"type": "text", "text": "What is this?"},
                  {"type": "image_url", "image_url": {"url": "http://example.com/cat.png"}}]}]}""");

        // when / then
        assertThatThrownBy(() -> client(expert()).chat(request)).isInstanceOf(ExpertRejectedRequestException.class);
        assertThat(UPSTREAM.calls()).isZero();
    }

    @Test
    void should_not_send_a_credential_of_the_host_when_the_expert_has_no_key() {
        // given
        Expert.Builder keyless = Expert.builder("claude").provider(Provider.ANTHROPIC).baseUrl(UPSTREAM.baseUrl())
                .model("claude-test");

        // when
        ChatCompletion answer = client(keyless).chat(hello());

        // then
        assertThat(answer.text()).isEqualTo("echo: hi");
        String sentKey = UPSTREAM.lastReceived().headers().get("x-api-key");
        assertThat(sentKey).isNotEqualTo(System.getenv("ANTHROPIC_API_KEY"));
        assertThat(UPSTREAM.lastReceived().headers()).doesNotContainKey("authorization");
    }

    @Test
    void should_send_a_large_max_tokens_when_not_streaming() {
        // when
        ChatCompletion answer = client(expert()).chat(request("""
                {"model": "claude", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 64000}"""));

        // then
        assertThat(UPSTREAM.lastReceived().body().path("max_tokens").asInt()).isEqualTo(64000);
        assertThat(answer.text()).isEqualTo("echo: hi");
    }

    @Test
    void should_reach_the_same_endpoint_when_the_base_url_ends_in_v1() {
        // when
        ChatCompletion answer = client(expert().baseUrl(UPSTREAM.baseUrl() + "/v1/")).chat(hello());

        // then
        assertThat(UPSTREAM.lastReceived().path()).isEqualTo("/v1/messages");
        assertThat(answer.text()).isEqualTo("echo: hi");
    }

    @Test
    void should_map_max_tokens_to_length_when_the_answer_was_cut() {
        // given
        UPSTREAM.enqueue(Reply.message("Once upon a", "max_tokens", 3));

        // when
        ChatCompletion answer = client(expert()).chat(hello());

        // then
        assertThat(answer.body().path("choices").path(0).path("finish_reason").asString()).isEqualTo("length");
    }

    @Test
    void should_stream_text_deltas_in_order_then_a_finish_reason() {
        // given
        UPSTREAM.enqueue(Reply.stream(List.of("Hel", "lo", " world", "!"), "end_turn", Duration.ZERO));

        // when
        List<ObjectNode> read;
        try (ChatStream stream = client(expert()).stream(hello())) {
            read = readAll(stream);
        }

        // then: the usage chunk comes last even unasked (every expert is asked for usage in streams)
        assertThat(read.getLast().path("choices").isEmpty()).isTrue();
        assertThat(read.getLast().path("usage").path("prompt_tokens").asInt()).isEqualTo(FakeAnthropicUpstream.INPUT_TOKENS);
        List<ObjectNode> chunks = read.subList(0, read.size() - 1);
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.path("object").asString()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.path("id").asString()).isEqualTo(chunks.getFirst().path("id").asString());
            assertThat(chunk.path("model").asString()).isEqualTo("claude-test");
        });
        assertThat(chunks.getFirst().path("choices").path(0).path("delta").path("role").asString()).isEqualTo("assistant");
        assertThat(chunks.subList(1, chunks.size() - 1)).extracting(AnthropicExpertClientTest::content)
                .containsExactly("Hel", "lo", " world", "!");
        JsonNode last = chunks.getLast().path("choices").path(0);
        assertThat(last.path("finish_reason").asString()).isEqualTo("stop");
        assertThat(chunks.subList(0, chunks.size() - 1))
                .allSatisfy(chunk -> assertThat(chunk.path("choices").path(0).path("finish_reason").isNull()).isTrue());
        assertThat(chunks).noneMatch(chunk -> chunk.has("usage"));
        assertThat(UPSTREAM.lastReceived().body().path("stream").asBoolean()).isTrue();
    }

    @Test
    void should_end_with_a_usage_chunk_when_the_client_asked_for_usage() {
        // given
        UPSTREAM.enqueue(Reply.stream(List.of("a", "b", "c"), "max_tokens", Duration.ZERO));

        // when
        List<ObjectNode> chunks;
        try (ChatStream stream = client(expert()).stream(request("""
                {"model": "claude", "messages": [{"role": "user", "content": "hi"}],
                 "stream_options": {"include_usage": true}}"""))) {
            chunks = readAll(stream);
        }

        // then
        ObjectNode usageChunk = chunks.getLast();
        assertThat(usageChunk.path("choices").isEmpty()).isTrue();
        assertThat(usageChunk.path("usage").path("prompt_tokens").asInt()).isEqualTo(FakeAnthropicUpstream.INPUT_TOKENS);
        assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(usageChunk.path("usage").path("total_tokens").asInt()).isEqualTo(FakeAnthropicUpstream.INPUT_TOKENS + 3);
        ObjectNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.path("choices").path(0).path("finish_reason").asString()).isEqualTo("length");
    }

    @Test
    void should_deliver_each_delta_as_it_arrives_when_the_upstream_is_slow() {
        // given
        UPSTREAM.enqueue(Reply.stream(List.of("slow", "ly"), "end_turn", Duration.ofMillis(300)));

        // when
        try (ChatStream stream = client(expert()).stream(hello())) {
            stream.next(); // role
            long before = System.nanoTime();
            String first = content(stream.next().orElseThrow());
            Duration firstWait = Duration.ofNanos(System.nanoTime() - before);
            String second = content(stream.next().orElseThrow());

            // then
            assertThat(first).isEqualTo("slow");
            assertThat(second).isEqualTo("ly");
            assertThat(firstWait).isLessThan(Duration.ofMillis(250));
        }
    }

    @Test
    void should_throw_rate_limited_with_retry_after_when_the_upstream_answers_429() {
        // given
        UPSTREAM.enqueue(Reply.error(429, "rate_limit_error", "Number of requests has exceeded your rate limit",
                "retry-after", "7"));

        // when / then
        assertThatThrownBy(() -> client(expert()).chat(hello()))
                .isInstanceOfSatisfying(ExpertRateLimitedException.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                    assertThat(e.isRetriable()).isTrue();
                    assertThat(e.expertId()).isEqualTo("claude");
                });
        assertThat(UPSTREAM.calls()).as("the SDK must not retry on its own").isEqualTo(1);
    }

    @Test
    void should_throw_server_error_when_the_upstream_answers_500() {
        // given
        UPSTREAM.enqueue(Reply.error(500, "api_error", "Internal server error"));

        // when / then
        assertThatThrownBy(() -> client(expert()).chat(hello()))
                .isInstanceOfSatisfying(ExpertServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.isRetriable()).isTrue();
                });
        assertThat(UPSTREAM.calls()).as("the SDK must not retry on its own").isEqualTo(1);
    }

    @Test
    void should_throw_server_error_when_the_upstream_is_overloaded() {
        // given
        UPSTREAM.enqueue(Reply.error(529, "overloaded_error", "Overloaded"));

        // when / then
        assertThatThrownBy(() -> client(expert()).chat(hello()))
                .isInstanceOfSatisfying(ExpertServerException.class, e -> assertThat(e.status()).isEqualTo(529));
    }

    @Test
    void should_throw_rejected_with_the_upstream_message_when_the_upstream_answers_400() {
        // given
        UPSTREAM.enqueue(Reply.error(400, "invalid_request_error", "max_tokens: 999999 > 64000, the maximum allowed"));

        // when / then
        assertThatThrownBy(() -> client(expert()).chat(hello()))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.upstreamMessage()).isEqualTo("max_tokens: 999999 > 64000, the maximum allowed");
                    assertThat(e.getMessage()).contains("max_tokens: 999999");
                    assertThat(e.isRetriable()).isFalse();
                });
    }

    @Test
    void should_never_show_the_api_key_when_the_upstream_refuses_it() {
        // given
        UPSTREAM.enqueue(Reply.error(401, "authentication_error", "invalid x-api-key"));

        // when / then
        assertThatThrownBy(() -> client(expert()).chat(hello()))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).doesNotContain(API_KEY);
                });
    }

    @Test
    void should_throw_from_stream_itself_when_the_upstream_refuses_before_streaming() {
        // given
        UPSTREAM.enqueue(Reply.error(429, "rate_limit_error", "slow down", "retry-after", "2"));
        AnthropicExpertClient client = client(expert());

        // when / then
        assertThatThrownBy(() -> client.stream(hello()))
                .isInstanceOfSatisfying(ExpertRateLimitedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)));
        assertThat(UPSTREAM.calls()).isEqualTo(1);
    }

    @Test
    void should_throw_rejected_from_stream_itself_when_the_request_is_invalid() {
        // given
        UPSTREAM.enqueue(Reply.error(400, "invalid_request_error", "messages: roles must alternate"));

        // when / then
        assertThatThrownBy(() -> client(expert()).stream(hello()))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class,
                        e -> assertThat(e.upstreamMessage()).isEqualTo("messages: roles must alternate"));
    }

    @Test
    void should_throw_server_error_while_reading_when_an_error_event_arrives_mid_stream() {
        // given
        UPSTREAM.enqueue(Reply.streamThenError(List.of("Hel"), "overloaded_error", "Overloaded"));

        // when
        List<String> pieces = new ArrayList<>();
        try (ChatStream stream = client(expert()).stream(hello())) {
            // then
            assertThatThrownBy(() -> {
                for (Optional<ObjectNode> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
                    pieces.add(content(chunk.get()));
                }
            }).isInstanceOfSatisfying(ExpertServerException.class, e -> assertThat(e.getMessage()).contains("Overloaded"));
        }
        assertThat(pieces).contains("Hel");
    }

    @Test
    void should_throw_while_reading_when_the_connection_drops_mid_stream() {
        // given
        UPSTREAM.enqueue(Reply.streamThenDrop(List.of("Hel", "lo")));

        // when / then: the JDK client drops what it had buffered once the reset arrives, so on a busy machine
        // the drop can come before the first event is read and fail the opening instead; either is an expert fault
        assertThatThrownBy(() -> {
            try (ChatStream stream = client(expert()).stream(hello())) {
                readAll(stream);
            }
        }).isInstanceOf(ExpertException.class)
                .satisfies(e -> assertThat(((ExpertException) e).isExpertFault()).isTrue());
    }

    @Test
    void should_cancel_the_upstream_and_fail_further_reads_when_closed_mid_stream() {
        // given
        UPSTREAM.enqueue(Reply.streamForever("Hel"));
        ChatStream stream = client(expert()).stream(hello());
        stream.next(); // role
        assertThat(content(stream.next().orElseThrow())).isEqualTo("Hel");

        // when
        stream.close();

        // then
        assertThatThrownBy(stream::next).isInstanceOf(ExpertConnectionException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> UPSTREAM.brokenWrites() == 1);
        stream.close(); // a second close is harmless
    }

    @Test
    void should_throw_connection_error_when_nothing_listens() throws Exception {
        // given
        int freePort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = socket.getLocalPort();
        }
        AnthropicExpertClient client = client(expert().baseUrl("http://127.0.0.1:" + freePort));

        // when / then
        assertThatThrownBy(() -> client.chat(hello())).isInstanceOf(ExpertConnectionException.class);
        assertThatThrownBy(() -> client.stream(hello())).isInstanceOf(ExpertConnectionException.class);
    }

    @Test
    void should_throw_timeout_when_the_upstream_does_not_answer_in_time() {
        // given
        UPSTREAM.enqueue(Reply.hang());
        AnthropicExpertClient client = client(expert().limits(new Limits(4, Duration.ofMillis(300), 32_768)));

        // when / then
        assertThatThrownBy(() -> client.chat(hello())).isInstanceOf(ExpertTimeoutException.class);
    }

    @Test
    void should_stop_waiting_with_a_timeout_when_the_thread_opening_a_stream_is_interrupted() throws Exception {
        // given
        UPSTREAM.enqueue(Reply.hang());
        AnthropicExpertClient client = client(expert());
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread opener = Thread.ofVirtual().start(() -> {
            try {
                client.stream(hello()).close();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> UPSTREAM.calls() == 1);

        // when
        opener.interrupt();

        // then
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(ExpertTimeoutException.class);
    }

    @Test
    void should_stop_waiting_with_a_timeout_when_the_thread_of_a_call_is_interrupted() throws Exception {
        // given
        UPSTREAM.enqueue(Reply.hang());
        AnthropicExpertClient client = client(expert());
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                client.chat(hello());
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> UPSTREAM.calls() == 1);

        // when
        caller.interrupt();

        // then
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(ExpertTimeoutException.class);
    }

    @Test
    void should_reject_without_calling_the_upstream_when_a_message_role_is_not_supported() {
        // given
        ChatRequest request = request("""
                {"model": "claude", "messages": [{"role": "user", "content": "hi"},
                                                 {"role": "tool", "tool_call_id": "t1", "content": "42"}]}""");

        // when / then
        assertThatThrownBy(() -> client(expert()).chat(request))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class,
                        e -> assertThat(e.upstreamMessage()).contains("tool"));
        assertThat(UPSTREAM.calls()).isZero();
    }

    private static String systemText(JsonNode sent) {
        JsonNode system = sent.path("system");
        if (system.isString()) {
            return system.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : system) {
            text.append(block.path("text").asString(""));
        }
        return text.toString();
    }

    private static String text(JsonNode message) {
        JsonNode content = message.path("content");
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            text.append(block.path("text").asString(""));
        }
        return text.toString();
    }
}
