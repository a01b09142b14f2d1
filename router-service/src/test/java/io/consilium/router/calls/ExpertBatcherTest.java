package io.consilium.router.calls;

import static io.consilium.router.calls.BatchingClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertException;
import io.consilium.registry.Provider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ExpertBatcherTest {

    private static final Expert LOCAL = Expert.builder("local-test").provider(Provider.MOCK).build();

    private final BatchingClient client = new BatchingClient(LOCAL, true);
    private final List<Integer> recordedSizes = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ExpertBatcher batcher(Duration window, int maxBatchSize) {
        return new ExpertBatcher(LOCAL.id(), new BatchingSettings(window, maxBatchSize), recordedSizes::add);
    }

    /** Submits one request per thread, as concurrent callers would. */
    private static List<CompletableFuture<ChatCompletion>> concurrently(ExpertBatcher batcher, BatchingClient client,
            String prefix, int count) {
        List<CompletableFuture<ChatCompletion>> answers = new ArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CompletableFuture<ChatCompletion> answer = new CompletableFuture<>();
            answers.add(answer);
            String text = prefix + i;
            callers.add(Thread.ofVirtual().start(() -> batcher.submit(client, request(text)).whenComplete((done, error) -> {
                if (error != null) {
                    answer.completeExceptionally(error);
                } else {
                    answer.complete(done);
                }
            })));
        }
        callers.forEach(thread -> {
            try {
                thread.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        return answers;
    }

    @Test
    void should_run_requests_that_arrive_while_the_expert_is_busy_as_batches_of_at_most_the_max_size() throws Exception {
        // given: the expert is busy with a first request
        ExpertBatcher batcher = batcher(Duration.ofMillis(5), 8);
        client.hold();
        CompletableFuture<ChatCompletion> first = batcher.submit(client, request("first"));
        await().atMost(Duration.ofSeconds(2)).until(() -> client.passes().size() == 1);

        // when: twenty more arrive meanwhile
        List<CompletableFuture<ChatCompletion>> later = concurrently(batcher, client, "q", 20);
        assertThat(batcher.waiting()).isEqualTo(20);
        client.release();

        // then
        assertThat(first.get(5, TimeUnit.SECONDS).text()).isEqualTo("answer to: first");
        for (int i = 0; i < later.size(); i++) {
            assertThat(later.get(i).get(5, TimeUnit.SECONDS).text()).isEqualTo("answer to: q" + i);
        }
        assertThat(client.passes()).containsExactly(1, 8, 8, 4);
        assertThat(recordedSizes).containsExactly(1, 8, 8, 4);
    }

    @Test
    void should_start_a_request_to_an_idle_expert_at_once_without_waiting_for_the_window() throws Exception {
        // given: a long window
        ExpertBatcher batcher = batcher(Duration.ofMillis(800), 8);

        // when
        long started = System.nanoTime();
        ChatCompletion answer = batcher.submit(client, request("alone")).get(5, TimeUnit.SECONDS);
        long firstMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        await().atMost(Duration.ofSeconds(1)).until(() -> batcher.waiting() == 0);
        started = System.nanoTime();
        batcher.submit(client, request("again")).get(5, TimeUnit.SECONDS);
        long secondMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        // then
        assertThat(answer.text()).isEqualTo("answer to: alone");
        assertThat(firstMillis).isLessThan(400);
        assertThat(secondMillis).isLessThan(400);
        assertThat(client.passes()).containsExactly(1, 1);
    }

    @Test
    void should_wait_at_most_the_window_for_a_batch_to_fill_once_the_expert_is_free() throws Exception {
        // given: a busy expert and one request waiting behind it
        ExpertBatcher batcher = batcher(Duration.ofMillis(300), 8);
        client.hold();
        CompletableFuture<ChatCompletion> first = batcher.submit(client, request("first"));
        await().atMost(Duration.ofSeconds(2)).until(() -> client.passes().size() == 1);
        CompletableFuture<ChatCompletion> second = batcher.submit(client, request("second"));

        // when: the expert frees up at once, and a third request comes within the window
        client.release();
        await().atMost(Duration.ofSeconds(2)).until(first::isDone);
        CompletableFuture<ChatCompletion> third = batcher.submit(client, request("third"));

        // then: the two waiting requests went together
        assertThat(second.get(5, TimeUnit.SECONDS).text()).isEqualTo("answer to: second");
        assertThat(third.get(5, TimeUnit.SECONDS).text()).isEqualTo("answer to: third");
        assertThat(client.passes()).containsExactly(1, 2);
    }

    @Test
    void should_fail_every_caller_of_a_failing_batch_with_the_batch_error() throws Exception {
        // given
        ExpertBatcher batcher = batcher(Duration.ofMillis(5), 8);
        client.hold();
        CompletableFuture<ChatCompletion> first = batcher.submit(client, request("first"));
        await().atMost(Duration.ofSeconds(2)).until(() -> client.passes().size() == 1);
        List<CompletableFuture<ChatCompletion>> waiting = concurrently(batcher, client, "q", 3);
        ExpertException crash = new ExpertException(LOCAL.id(), "the model ran out of memory");

        // when
        client.failWith(crash);
        client.release();

        // then
        for (CompletableFuture<ChatCompletion> answer : concat(first, waiting)) {
            assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isSameAs(crash);
        }
        assertThat(client.passes()).containsExactly(1, 3);
    }

    @Test
    void should_leave_out_a_request_withdrawn_before_its_batch_started() throws Exception {
        // given
        ExpertBatcher batcher = batcher(Duration.ofMillis(5), 8);
        client.hold();
        batcher.submit(client, request("first"));
        await().atMost(Duration.ofSeconds(2)).until(() -> client.passes().size() == 1);
        CompletableFuture<ChatCompletion> withdrawn = batcher.submit(client, request("gone"));
        CompletableFuture<ChatCompletion> kept = batcher.submit(client, request("kept"));

        // when: its caller gives up
        withdrawn.cancel(false);
        client.release();

        // then
        assertThat(kept.get(5, TimeUnit.SECONDS).text()).isEqualTo("answer to: kept");
        assertThat(client.passes()).containsExactly(1, 1);
        assertThatThrownBy(() -> withdrawn.get(0, TimeUnit.SECONDS)).isNotInstanceOf(TimeoutException.class);
    }

    private static List<CompletableFuture<ChatCompletion>> concat(CompletableFuture<ChatCompletion> first,
            List<CompletableFuture<ChatCompletion>> rest) {
        List<CompletableFuture<ChatCompletion>> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}
