package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Cost;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertCallMeters;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertConnectionException;
import io.consilium.registry.ExpertRateLimitedException;
import io.consilium.registry.ExpertServerException;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.ExpertUnavailableException;
import io.consilium.registry.Provider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ObservedExpertClientTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Expert EXPERT = Expert.builder("priced").provider(Provider.MOCK)
            .cost(new Cost(2.0, 10.0)).build();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private ExpertClient observed(ExpertClient delegate) {
        return new ObservedExpertClient(delegate, new ExpertCallObserver(meters));
    }

    private long calls(String mode, String outcome) {
        Timer timer = meters.find(ExpertCallMeters.CALLS).tag(ExpertCallMeters.EXPERT, EXPERT.id())
                .tag(ExpertCallMeters.MODE, mode).tag(ExpertCallMeters.OUTCOME, outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private long allCalls() {
        return meters.find(ExpertCallMeters.CALLS).timers().stream().mapToLong(Timer::count).sum();
    }

    private double tokens(String kind) {
        Counter counter = meters.find(ExpertCallMeters.TOKENS).tag(ExpertCallMeters.KIND, kind).counter();
        return counter == null ? 0 : counter.count();
    }

    private double costUsd() {
        Counter counter = meters.find(ExpertCallMeters.COST).tag(ExpertCallMeters.EXPERT, EXPERT.id()).counter();
        return counter == null ? 0 : counter.count();
    }

    private static ChatRequest request() {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("messages").addObject().put("role", "user").put("content", "hi");
        return new ChatRequest(body);
    }

    private static ChatCompletion answer(long promptTokens, long completionTokens) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens);
        return new ChatCompletion(body);
    }

    private static ObjectNode chunk(String content) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.putArray("choices").addObject().putObject("delta").put("content", content);
        return chunk;
    }

    private static ObjectNode usageChunk(long promptTokens, long completionTokens) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.putArray("choices");
        chunk.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens);
        return chunk;
    }

    @Test
    void should_time_an_answered_call_and_count_its_tokens_and_their_cost() {
        // given
        ExpertClient client = observed(Fake.answering(() -> answer(1_000, 2_000)));

        // when
        client.chat(request());

        // then
        assertThat(calls("chat", "ok")).isEqualTo(1);
        assertThat(allCalls()).isEqualTo(1);
        assertThat(tokens("prompt")).isEqualTo(1_000);
        assertThat(tokens("completion")).isEqualTo(2_000);
        assertThat(costUsd()).isCloseTo(EXPERT.cost().priceOf(1_000, 2_000), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(meters.get(ExpertCallMeters.COST).counter().getId().getBaseUnit()).isEqualTo("usd");
    }

    @Test
    void should_time_a_failed_call_with_the_outcome_of_its_failure_and_count_no_tokens() {
        // given
        ExpertClient client = observed(Fake.answering(() -> {
            throw new ExpertRateLimitedException(EXPERT.id(), Duration.ofSeconds(3));
        }));

        // when
        assertThatThrownBy(() -> client.chat(request())).isInstanceOf(ExpertRateLimitedException.class);

        // then
        assertThat(calls("chat", "rate_limited")).isEqualTo(1);
        assertThat(allCalls()).isEqualTo(1);
        assertThat(meters.find(ExpertCallMeters.TOKENS).counters()).isEmpty();
    }

    @Test
    void should_observe_an_unexpected_exception_from_a_client_as_a_client_failure_not_as_client_gone() {
        // given
        ExpertClient client = observed(Fake.answering(() -> {
            throw new IllegalStateException("a bug in the client");
        }));

        // when
        assertThatThrownBy(() -> client.chat(request())).isInstanceOf(IllegalStateException.class);

        // then
        assertThat(calls("chat", "client_failure")).isEqualTo(1);
        assertThat(calls("chat", "client_gone")).isZero();
    }

    @Test
    void should_observe_a_call_stopped_by_an_interrupt_as_client_gone() {
        // given: as the resilient client does, the interrupt is kept and the wait ends as a timeout
        ExpertClient client = observed(Fake.answering(() -> {
            Thread.currentThread().interrupt();
            throw new ExpertTimeoutException(EXPERT.id(), Duration.ofSeconds(60));
        }));

        // when
        try {
            assertThatThrownBy(() -> client.chat(request())).isInstanceOf(ExpertTimeoutException.class);
        } finally {
            Thread.interrupted();
        }

        // then
        assertThat(calls("chat", "client_gone")).isEqualTo(1);
        assertThat(allCalls()).isEqualTo(1);
    }

    @Test
    void should_observe_each_request_of_a_batch_once_when_the_expert_answers_in_batches() {
        // given
        Fake fake = Fake.answering(() -> answer(10, 20)).inBatches();
        ExpertClient client = observed(fake);

        // when
        List<ChatCompletion> answers = client.chatBatch(List.of(request(), request(), request()));

        // then
        assertThat(answers).hasSize(3);
        assertThat(fake.batches.get()).isEqualTo(1);
        assertThat(calls("chat", "ok")).isEqualTo(3);
        assertThat(allCalls()).isEqualTo(3);
        assertThat(tokens("prompt")).isEqualTo(30);
        assertThat(tokens("completion")).isEqualTo(60);
    }

    @Test
    void should_observe_each_request_of_a_failed_batch_with_the_outcome_of_the_batch() {
        // given
        ExpertClient client = observed(Fake.answering(() -> {
            throw new ExpertServerException(EXPERT.id(), 500, "out of memory", null);
        }).inBatches());

        // when
        assertThatThrownBy(() -> client.chatBatch(List.of(request(), request())))
                .isInstanceOf(ExpertServerException.class);

        // then
        assertThat(calls("chat", "upstream_error")).isEqualTo(2);
        assertThat(allCalls()).isEqualTo(2);
    }

    @Test
    void should_observe_a_batch_call_by_call_when_the_expert_answers_one_by_one() {
        // given
        AtomicInteger asked = new AtomicInteger();
        ExpertClient client = observed(Fake.answering(() -> {
            if (asked.incrementAndGet() == 2) {
                throw new ExpertServerException(EXPERT.id(), 502, "", null);
            }
            return answer(1, 1);
        }));

        // when
        assertThatThrownBy(() -> client.chatBatch(List.of(request(), request(), request())))
                .isInstanceOf(ExpertServerException.class);

        // then
        assertThat(calls("chat", "ok")).isEqualTo(1);
        assertThat(calls("chat", "upstream_error")).isEqualTo(1);
        assertThat(allCalls()).isEqualTo(2);
    }

    @Test
    void should_observe_a_stream_once_when_it_ends_with_the_usage_it_reported() {
        // given
        ExpertClient client = observed(Fake.streaming(chunk("Hel"), chunk("lo"), usageChunk(5, 2)));

        // when
        try (ChatStream stream = client.stream(request())) {
            while (stream.next().isPresent()) {
                assertThat(allCalls()).as("observed only when it ends").isZero();
            }
        }

        // then
        assertThat(calls("stream", "ok")).isEqualTo(1);
        assertThat(allCalls()).isEqualTo(1);
        assertThat(tokens("prompt")).isEqualTo(5);
        assertThat(tokens("completion")).isEqualTo(2);
    }

    @Test
    void should_observe_a_stream_that_breaks_with_the_outcome_of_its_failure() {
        // given
        ExpertClient client = observed(Fake.streaming(chunk("Hel"), null));

        // when
        try (ChatStream stream = client.stream(request())) {
            stream.next();
            assertThatThrownBy(stream::next).isInstanceOf(ExpertConnectionException.class);
        }

        // then
        assertThat(calls("stream", "upstream_error")).isEqualTo(1);
        assertThat(allCalls()).isEqualTo(1);
    }

    @Test
    void should_observe_a_stream_closed_before_its_end_as_client_gone() {
        // given
        ExpertClient client = observed(Fake.streaming(chunk("Hel"), chunk("lo"), usageChunk(5, 2)));

        // when
        ChatStream stream = client.stream(request());
        stream.next();
        stream.close();
        stream.close();

        // then
        assertThat(calls("stream", "client_gone")).isEqualTo(1);
        assertThat(allCalls()).isEqualTo(1);
    }

    @Test
    void should_observe_a_stream_that_cannot_be_opened() {
        // given
        ExpertClient client = observed(Fake.answering(() -> {
            throw new ExpertUnavailableException(EXPERT.id(), ExpertUnavailableException.Reason.CIRCUIT_OPEN);
        }));

        // when
        assertThatThrownBy(() -> client.stream(request())).isInstanceOf(ExpertUnavailableException.class);

        // then
        assertThat(calls("stream", "unavailable")).isEqualTo(1);
        assertThat(allCalls()).isEqualTo(1);
    }

    /**
     * A client whose every answer (and every stream's opening) comes from a supplier, and whose streams
     * give the scripted chunks; a null chunk breaks the stream there.
     */
    private static final class Fake implements ExpertClient {

        private final Supplier<ChatCompletion> answers;
        private final List<@Nullable ObjectNode> chunks;
        private final AtomicInteger batches = new AtomicInteger();
        private boolean batched;

        private Fake(Supplier<ChatCompletion> answers, List<@Nullable ObjectNode> chunks) {
            this.answers = answers;
            this.chunks = chunks;
        }

        static Fake answering(Supplier<ChatCompletion> answers) {
            return new Fake(answers, List.of());
        }

        static Fake streaming(@Nullable ObjectNode... chunks) {
            return new Fake(() -> answer(0, 0), java.util.Arrays.asList(chunks));
        }

        Fake inBatches() {
            batched = true;
            return this;
        }

        @Override
        public Expert expert() {
            return EXPERT;
        }

        @Override
        public ChatCompletion chat(ChatRequest request) {
            return answers.get();
        }

        @Override
        public boolean answersInBatches() {
            return batched;
        }

        @Override
        public List<ChatCompletion> chatBatch(List<ChatRequest> requests) {
            if (!batched) {
                return ExpertClient.super.chatBatch(requests);
            }
            batches.incrementAndGet();
            return requests.stream().map(this::chat).toList();
        }

        @Override
        public ChatStream stream(ChatRequest request) {
            answers.get();
            Deque<Optional<ObjectNode>> left = new ArrayDeque<>();
            chunks.forEach(chunk -> left.add(Optional.ofNullable(chunk)));
            return new ChatStream() {
                @Override
                public Optional<ObjectNode> next() {
                    Optional<ObjectNode> next = left.poll();
                    if (next == null) {
                        return Optional.empty();
                    }
                    return Optional.of(next.orElseThrow(() ->
                            new ExpertConnectionException(EXPERT.id(), "connection reset", new java.io.IOException())));
                }

                @Override
                public void close() {
                    left.clear();
                }
            };
        }
    }
}
