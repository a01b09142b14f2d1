package io.consilium.registry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertCallMeters;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertRateLimitedException;
import io.consilium.registry.ExpertRejectedRequestException;
import io.consilium.registry.ExpertServerException;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.ResilienceSettings;
import io.consilium.registry.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every {@link ExpertClient} must do, as {@link ExpertClients} hands it out: the provider's client under
 * its resilience and observation. Extend it once per provider, from the provider's own test so that both share
 * its fixtures: say how to define an expert of it, how to make one stall, and whether it calls an upstream
 * over HTTP. Cases about HTTP statuses and hanging up on an upstream apply only to providers that have one;
 * for the others they are reported as not applicable, with the reason.
 */
public abstract class ExpertClientContract {

    /** Every provider can answer this, the tiny local decoder included. */
    protected static final String QUESTION = "tell me a story about a cat";
    /** The model every contract expert names; the request names another. */
    protected static final String EXPERT_MODEL = "contract-model";
    /** The timeout of a stalled expert. */
    protected static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final SimpleMeterRegistry contractMeters = new SimpleMeterRegistry();
    private ExpertClients contractClients;

    /**
     * An expert of the provider under test with this id, and everything the provider needs (base URL, key,
     * model path); the contract sets its model.
     */
    protected abstract Expert.Builder contractExpert(String id);

    /**
     * The expert made to answer only after its timeout, for the next call: an upstream that hangs, a mock
     * whose latency is longer than its timeout, a timeout shorter than a local model takes to load.
     */
    protected abstract Expert.Builder stalled(Expert.Builder expert);

    /**
     * The fake HTTP upstream the provider's experts call, or empty for a provider that calls nobody over HTTP
     * (mock, local ONNX): it has no HTTP statuses and no connection to hang up on.
     */
    protected abstract Optional<FakeUpstream> httpUpstream();

    /** The clients to test, built as the service builds them; a provider may need settings of its own. */
    protected ExpertClients newClients(ResilienceSettings resilience, MeterRegistry meters) {
        return ExpertClients.create(resilience, meters);
    }

    @BeforeEach
    void openContractClients() {
        // No retries: each scripted status is answered once, as the provider maps it.
        contractClients = newClients(ResilienceSettings.custom().maxRetries(0).build(), contractMeters);
    }

    @AfterEach
    void closeContractClients() {
        contractClients.close();
    }

    @Test
    void should_answer_a_chat_with_a_completion_and_observe_it_once() {
        // given
        ExpertClient client = clientFor(newContractExpert());

        // when
        ChatCompletion answer = client.chat(ask(QUESTION));

        // then
        ObjectNode body = answer.body();
        assertThat(body.path("object").asString()).isEqualTo("chat.completion");
        assertThat(body.path("choices").path(0).path("message").path("role").asString()).isEqualTo("assistant");
        assertThat(body.path("choices").path(0).path("finish_reason").asString("")).isNotEmpty();
        assertThat(answer.text()).isNotEmpty();
        assertThat(answer.usage().promptTokens()).isPositive();
        assertThat(observedCalls(client, "chat", "ok")).isEqualTo(1);
        assertThat(allObservedCalls()).isEqualTo(1);
        assertThat(observedTokens(client, "prompt")).isEqualTo(answer.usage().promptTokens());
        assertThat(observedTokens(client, "completion")).isEqualTo(answer.usage().completionTokens());
    }

    @Test
    void should_stream_chunks_that_add_up_to_the_whole_answer_and_observe_the_stream_when_it_ends() {
        // given
        ExpertClient client = clientFor(newContractExpert());
        String whole = client.chat(ask(QUESTION)).text();

        // when
        List<ObjectNode> chunks = new ArrayList<>();
        try (ChatStream stream = client.stream(streamed(ask(QUESTION)))) {
            for (Optional<ObjectNode> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
                chunks.add(chunk.get());
            }
        }

        // then
        assertThat(chunks).allSatisfy(chunk ->
                assertThat(chunk.path("object").asString()).isEqualTo("chat.completion.chunk"));
        assertThat(chunks.stream().map(ExpertClientContract::content).reduce("", String::concat)).isEqualTo(whole);
        assertThat(chunks).anySatisfy(chunk ->
                assertThat(chunk.path("choices").path(0).path("finish_reason").asString("")).isNotEmpty());
        Usage usage = Usage.from(chunks.getLast().path("usage"));
        assertThat(usage.promptTokens()).as("the last chunk reports the usage asked for").isPositive();
        assertThat(observedCalls(client, "stream", "ok")).isEqualTo(1);
        assertThat(allObservedCalls()).isEqualTo(2);
    }

    @Test
    void should_report_and_observe_a_streams_usage_when_the_request_did_not_ask_for_it() {
        // given: a streamed request without stream_options
        ExpertClient client = clientFor(newContractExpert());
        ObjectNode body = ask(QUESTION).body().deepCopy();
        body.put("stream", true);

        // when
        List<ObjectNode> chunks = new ArrayList<>();
        try (ChatStream stream = client.stream(new ChatRequest(body))) {
            for (Optional<ObjectNode> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
                chunks.add(chunk.get());
            }
        }

        // then: the expert was asked for usage all the same, so that the stream's tokens are counted
        ObjectNode last = chunks.getLast();
        assertThat(last.path("choices").isEmpty()).as("the usage chunk has no choices").isTrue();
        Usage usage = Usage.from(last.path("usage"));
        assertThat(usage.promptTokens()).isPositive();
        assertThat(observedTokens(client, "prompt")).isEqualTo(usage.promptTokens());
        assertThat(observedTokens(client, "completion")).isEqualTo(usage.completionTokens());
    }

    @Test
    void should_answer_a_batch_in_order_observing_each_request_once() {
        // given
        ExpertClient client = clientFor(newContractExpert());
        ChatRequest first = ask(QUESTION);
        ChatRequest second = ask("what is the sea");

        // when
        List<ChatCompletion> answers = client.chatBatch(List.of(first, second));

        // then
        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).text()).isEqualTo(client.chat(first).text());
        assertThat(answers.get(1).text()).isEqualTo(client.chat(second).text());
        assertThat(observedCalls(client, "chat", "ok")).isEqualTo(4);
    }

    @Test
    void should_send_the_model_of_the_expert_in_place_of_the_one_requested() {
        // given
        ExpertClient client = clientFor(newContractExpert());
        ChatRequest request = ask(QUESTION);
        request.body().put("model", "what-the-caller-named");

        // when
        ChatCompletion answer = client.chat(request);

        // then
        assertThat(answer.body().path("model").asString()).isEqualTo(EXPERT_MODEL);
        httpUpstream().ifPresent(upstream ->
                assertThat(upstream.lastRequestBody().path("model").asString()).isEqualTo(EXPERT_MODEL));
    }

    @Test
    void should_put_the_system_prompt_of_the_expert_before_the_callers_instructions() {
        // given
        String systemPrompt = "you are helpful";
        ExpertClient plain = clientFor(newContractExpert());
        ExpertClient prompted = clientFor(newContractExpert().systemPrompt(systemPrompt));
        ChatRequest request = ask(QUESTION);
        ((tools.jackson.databind.node.ArrayNode) request.body().get("messages")).insertObject(0)
                .put("role", "system").put("content", "be brief");

        // when
        ChatCompletion without = plain.chat(request);
        ChatCompletion with = prompted.chat(request);

        // then: an upstream receives it first; a provider that calls nobody counts it in the prompt
        Optional<FakeUpstream> upstream = httpUpstream();
        if (upstream.isPresent()) {
            assertThat(upstream.get().lastSystemText()).startsWith(systemPrompt).endsWith("be brief");
        } else {
            assertThat(with.usage().promptTokens()).isGreaterThan(without.usage().promptTokens());
        }
        assertThat(request.body().path("messages")).as("the caller's request is left as it was").hasSize(2);
    }

    @Test
    void should_map_each_refusal_status_to_the_exception_that_says_whether_to_retry() {
        // given
        FakeUpstream upstream = upstreamOrNotApplicable();

        // when / then
        upstream.refuseNext(400, "max_tokens is too large");
        ExpertClient rejected = clientFor(newContractExpert());
        assertThatThrownBy(() -> rejected.chat(ask(QUESTION)))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.upstreamMessage()).isEqualTo("max_tokens is too large");
                    assertThat(e.isRetriable()).isFalse();
                });
        assertThat(observedCalls(rejected, "chat", "rejected")).isEqualTo(1);

        upstream.refuseNext(401, "invalid key sk-contract-Ab12Cd34Ef56Gh78");
        ExpertClient unauthorised = clientFor(newContractExpert());
        assertThatThrownBy(() -> unauthorised.chat(ask(QUESTION)))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).doesNotContain("Ab12Cd34Ef56Gh78");
                });

        upstream.refuseNext(429, "slow down", "retry-after", "3");
        ExpertClient limited = clientFor(newContractExpert());
        assertThatThrownBy(() -> limited.chat(ask(QUESTION)))
                .isInstanceOfSatisfying(ExpertRateLimitedException.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
                    assertThat(e.isRetriable()).isTrue();
                });
        assertThat(observedCalls(limited, "chat", "rate_limited")).isEqualTo(1);

        upstream.refuseNext(500, "internal error");
        ExpertClient failing = clientFor(newContractExpert());
        assertThatThrownBy(() -> failing.chat(ask(QUESTION)))
                .isInstanceOfSatisfying(ExpertServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.isRetriable()).isTrue();
                });
        assertThat(observedCalls(failing, "chat", "upstream_error")).isEqualTo(1);

        upstream.refuseNext(400, "messages: roles must alternate");
        ExpertClient streaming = clientFor(newContractExpert());
        assertThatThrownBy(() -> streaming.stream(streamed(ask(QUESTION))))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(observedCalls(streaming, "stream", "rejected")).isEqualTo(1);
    }

    @Test
    void should_time_out_when_the_expert_does_not_answer_within_its_timeout() {
        // given
        ExpertClient client = clientFor(stalled(newContractExpert()));

        // when / then
        assertThatThrownBy(() -> client.chat(ask(QUESTION))).isInstanceOf(ExpertTimeoutException.class);
        assertThat(observedCalls(client, "chat", "timeout")).isEqualTo(1);
    }

    @Test
    void should_stop_a_stream_closed_before_its_end_and_observe_it_as_client_gone() {
        // given
        httpUpstream().ifPresent(upstream -> upstream.streamNextWithoutEnd("Once"));
        ExpertClient client = clientFor(newContractExpert());
        ChatStream stream = client.stream(streamed(ask(QUESTION)));
        String firstContent = "";
        while (firstContent.isEmpty()) {
            firstContent = content(stream.next().orElseThrow());
        }

        // when
        stream.close();

        // then
        assertThat(nextAfterClose(stream)).as("nothing more arrives once closed").isEmpty();
        assertThat(observedCalls(client, "stream", "client_gone")).isEqualTo(1);
        assertThat(allObservedCalls()).isEqualTo(1);
        httpUpstream().ifPresent(upstream -> await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(upstream.brokenWrites()).as("the upstream was hung up on").isPositive()));
        stream.close(); // a second close is harmless
    }

    /** The HTTP upstream; a provider without one does not take part in the case, and the report says why. */
    private FakeUpstream upstreamOrNotApplicable() {
        Optional<FakeUpstream> upstream = httpUpstream();
        assumeTrue(upstream.isPresent(), () -> getClass().getSimpleName()
                + ": not applicable, the provider calls no upstream over HTTP and so has no HTTP status");
        return upstream.orElseThrow();
    }

    /** A new expert each time, so that no circuit or Retry-After hold carries over from another call. */
    private Expert.Builder newContractExpert() {
        return contractExpert("contract-" + IDS.incrementAndGet()).model(EXPERT_MODEL);
    }

    private ExpertClient clientFor(Expert.Builder expert) {
        return contractClients.clientFor(expert.build());
    }

    private static ChatRequest ask(String question) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "contract");
        body.putArray("messages").addObject().put("role", "user").put("content", question);
        return new ChatRequest(body);
    }

    private static ChatRequest streamed(ChatRequest request) {
        ObjectNode body = request.body().deepCopy();
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        return new ChatRequest(body);
    }

    private static String content(ObjectNode chunk) {
        return chunk.path("choices").path(0).path("delta").path("content").asString("");
    }

    /** What reading a closed stream gives: a client may end it quietly or fail the read, never give more. */
    private static Optional<ObjectNode> nextAfterClose(ChatStream stream) {
        try {
            return stream.next();
        } catch (ExpertException closed) {
            return Optional.empty();
        }
    }

    private long observedCalls(ExpertClient client, String mode, String outcome) {
        Timer timer = contractMeters.find(ExpertCallMeters.CALLS).tag(ExpertCallMeters.EXPERT, client.expert().id())
                .tag(ExpertCallMeters.MODE, mode).tag(ExpertCallMeters.OUTCOME, outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private long allObservedCalls() {
        return contractMeters.find(ExpertCallMeters.CALLS).timers().stream().mapToLong(Timer::count).sum();
    }

    private long observedTokens(ExpertClient client, String kind) {
        Counter counter = contractMeters.find(ExpertCallMeters.TOKENS)
                .tag(ExpertCallMeters.EXPERT, client.expert().id()).tag(ExpertCallMeters.KIND, kind).counter();
        return counter == null ? 0 : (long) counter.count();
    }
}
