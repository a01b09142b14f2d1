package io.consilium.router.calls;

import static io.consilium.router.calls.BatchingClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.EgressPolicy;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertHealth;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.ExpertStores;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.Provider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What the call sites get: batching for experts that answer in batches, plain calls for the rest. */
class ExpertCallsTest {

    private static final Expert LOCAL = Expert.builder("local-model").provider(Provider.MOCK).build();
    private static final Expert REMOTE = Expert.builder("remote-model").provider(Provider.MOCK).build();

    private final BatchingClient local = new BatchingClient(LOCAL, true);
    private final BatchingClient remote = new BatchingClient(REMOTE, false);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExpertCalls calls;

    ExpertCallsTest() {
        ExpertRegistry registry = new ExpertRegistry(ExpertStores.inMemory(), skill -> true,
                new FixedClients(Map.of(LOCAL.id(), local, REMOTE.id(), remote)));
        registry.register(LOCAL);
        registry.register(REMOTE);
        calls = new ExpertCalls(registry, new BatchingSettings(Duration.ofMillis(5), 4), meters);
    }

    @Test
    void should_batch_concurrent_calls_to_an_expert_that_answers_in_batches_and_count_the_batch_sizes() throws Exception {
        // given
        local.hold();
        CompletableFuture<ChatCompletion> first = CompletableFuture.supplyAsync(() -> calls.chat(LOCAL, request("first")),
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        await().atMost(Duration.ofSeconds(2)).until(() -> local.passes().size() == 1);

        // when
        List<CompletableFuture<ChatCompletion>> later = java.util.stream.IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> calls.chat(LOCAL, request("q" + i)),
                        java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()))
                .toList();
        await().atMost(Duration.ofSeconds(2)).until(() -> calls.batcher(LOCAL).waiting() == 6);
        local.release();

        // then
        assertThat(first.get(5, TimeUnit.SECONDS).text()).isEqualTo("answer to: first");
        for (int i = 0; i < later.size(); i++) {
            assertThat(later.get(i).get(5, TimeUnit.SECONDS).text()).isEqualTo("answer to: q" + i);
        }
        assertThat(local.passes()).containsExactly(1, 4, 2);
        assertThat(local.singleCalls()).isZero();
        assertThat(meters.get("consilium.expert.batch.size").tag("expert", LOCAL.id()).summary().count()).isEqualTo(3);
    }

    @Test
    void should_call_an_expert_that_does_not_answer_in_batches_directly() {
        // when
        ChatCompletion answer = calls.chat(REMOTE, request("hello"));

        // then
        assertThat(answer.text()).isEqualTo("answer to: hello");
        assertThat(remote.singleCalls()).isEqualTo(1);
        assertThat(remote.passes()).isEmpty();
        assertThat(calls.answersInBatches(REMOTE)).isFalse();
        assertThatThrownBy(() -> calls.submit(REMOTE, List.of(request("x")))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_throw_the_batch_failure_to_the_caller() {
        // given
        ExpertException crash = new ExpertException(LOCAL.id(), "the model ran out of memory");
        local.failWith(crash);

        // then
        assertThatThrownBy(() -> calls.chat(LOCAL, request("doomed"))).isSameAs(crash);
    }

    @Test
    void should_withdraw_the_request_of_a_caller_that_is_interrupted_while_it_waits() throws Exception {
        // given: the expert is busy and a second caller waits behind it
        local.hold();
        Thread busy = Thread.ofVirtual().start(() -> calls.chat(LOCAL, request("first")));
        await().atMost(Duration.ofSeconds(2)).until(() -> local.passes().size() == 1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiting = Thread.ofVirtual().start(() -> {
            try {
                calls.chat(LOCAL, request("impatient"));
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        });
        await().atMost(Duration.ofSeconds(2)).until(() -> calls.batcher(LOCAL).waiting() == 1);

        // when: its client leaves
        waiting.interrupt();
        waiting.join(2_000);
        local.release();
        busy.join(5_000);
        ChatCompletion after = calls.chat(LOCAL, request("after"));

        // then: its request never ran
        assertThat(thrown.get()).isInstanceOf(ExpertTimeoutException.class);
        assertThat(after.text()).isEqualTo("answer to: after");
        assertThat(local.passes()).containsExactly(1, 1);
    }

    @Test
    void should_batch_whole_answers_asked_through_the_client_view_of_an_expert_that_answers_in_batches() throws Exception {
        // given: the expert is busy with a first request
        ExpertClient view = calls.clientFor(LOCAL);
        local.hold();
        CompletableFuture<ChatCompletion> first = CompletableFuture.supplyAsync(() -> view.chat(request("first")),
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        await().atMost(Duration.ofSeconds(2)).until(() -> local.passes().size() == 1);

        // when: two more arrive through the view, one asked alone and two together
        CompletableFuture<ChatCompletion> single = CompletableFuture.supplyAsync(() -> view.chat(request("single")),
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        CompletableFuture<List<ChatCompletion>> together = CompletableFuture.supplyAsync(
                () -> view.chatBatch(List.of(request("x"), request("y"))),
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        await().atMost(Duration.ofSeconds(2)).until(() -> calls.batcher(LOCAL).waiting() == 3);
        local.release();

        // then: they waited in the batcher and ran as one pass, never as single calls
        assertThat(first.get(5, TimeUnit.SECONDS).text()).isEqualTo("answer to: first");
        assertThat(single.get(5, TimeUnit.SECONDS).text()).isEqualTo("answer to: single");
        assertThat(together.get(5, TimeUnit.SECONDS)).extracting(ChatCompletion::text)
                .containsExactly("answer to: x", "answer to: y");
        assertThat(local.passes()).containsExactly(1, 3);
        assertThat(local.singleCalls()).isZero();
        assertThat(view.expert()).isEqualTo(LOCAL);
        assertThat(view.answersInBatches()).isTrue();
    }

    @Test
    void should_call_an_expert_that_does_not_answer_in_batches_directly_through_its_client_view() {
        // given
        ExpertClient view = calls.clientFor(REMOTE);

        // when
        ChatCompletion answer = view.chat(request("hello"));

        // then
        assertThat(answer.text()).isEqualTo("answer to: hello");
        assertThat(remote.singleCalls()).isEqualTo(1);
        assertThat(view.answersInBatches()).isFalse();
        assertThatThrownBy(() -> view.stream(request("streamed")))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("not streamed");
    }

    /** Hands out the tests' own clients by expert id. */
    private record FixedClients(Map<String, ExpertClient> clients) implements ExpertClients {

        @Override
        public ExpertClient clientFor(Expert expert) {
            return clients.get(expert.id());
        }

        @Override
        public EgressPolicy egressPolicy() {
            return EgressPolicy.ofDefaults();
        }

        @Override
        public boolean supports(Provider provider) {
            return true;
        }

        @Override
        public ExpertHealth health(String expertId) {
            return ExpertHealth.HEALTHY;
        }

        @Override
        public void forget(String expertId) {}

        @Override
        public void close() {}
    }
}
