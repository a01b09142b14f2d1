package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertCallMeters;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.ExpertHealth;
import io.consilium.registry.ExpertRateLimitedException;
import io.consilium.registry.ExpertRejectedRequestException;
import io.consilium.registry.ExpertServerException;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.ExpertUnavailableException;
import io.consilium.registry.Limits;
import io.consilium.registry.Provider;
import io.consilium.registry.ResilienceSettings;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ResilientExpertClientTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExpertClients clients = ExpertClients.create(ResilienceSettings.custom()
            .initialBackoff(Duration.ofMillis(20))
            .slidingWindowSize(10)
            .minimumCalls(4)
            .openStateWait(Duration.ofMillis(400))
            .halfOpenCalls(1)
            .bulkheadMaxWait(Duration.ofMillis(50))
            .build(), meters);

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
        clients.close();
    }

    private ExpertClient client(Duration timeout) {
        Expert expert = Expert.builder("resilient-" + IDS.incrementAndGet())
                .provider(Provider.OPENAI)
                .baseUrl(UPSTREAM.baseUrl())
                .model("m")
                .limits(new Limits(4, timeout, 4096))
                .build();
        return clients.clientFor(expert);
    }

    private static ChatRequest request() {
        return new ChatRequest((ObjectNode) JSON.readTree(
                "{\"model\": \"x\", \"messages\": [{\"role\": \"user\", \"content\": \"ping\"}]}"));
    }

    @Test
    void should_retry_a_server_error_and_succeed() {
        // given
        UPSTREAM.enqueue(Reply.error(500, "boom"));
        ExpertClient client = client(Duration.ofSeconds(5));

        // when
        String text = client.chat(request()).text();

        // then
        assertThat(text).isEqualTo("echo: ping");
        assertThat(UPSTREAM.calls()).isEqualTo(2);
    }

    @Test
    void should_observe_a_call_once_whatever_attempts_it_took() {
        // given
        UPSTREAM.enqueue(Reply.error(503, "busy"), Reply.error(500, "boom"));
        ExpertClient client = client(Duration.ofSeconds(5));

        // when
        client.chat(request());

        // then
        assertThat(UPSTREAM.calls()).isEqualTo(3);
        assertThat(meters.find(ExpertCallMeters.CALLS).tag(ExpertCallMeters.EXPERT, client.expert().id()).timers())
                .singleElement()
                .satisfies(calls -> {
                    assertThat(calls.getId().getTag(ExpertCallMeters.OUTCOME)).isEqualTo("ok");
                    assertThat(calls.count()).isEqualTo(1);
                });
    }

    @Test
    void should_give_up_after_two_retries() {
        // given
        UPSTREAM.enqueue(Reply.error(502, "a"), Reply.error(502, "b"), Reply.error(502, "c"), Reply.error(502, "d"));
        ExpertClient client = client(Duration.ofSeconds(5));

        // then
        assertThatThrownBy(() -> client.chat(request())).isInstanceOf(ExpertServerException.class);
        assertThat(UPSTREAM.calls()).isEqualTo(3);
    }

    @Test
    void should_not_retry_a_rejected_request() {
        // given
        UPSTREAM.enqueue(Reply.error(400, "bad field"));
        ExpertClient client = client(Duration.ofSeconds(5));

        // then
        assertThatThrownBy(() -> client.chat(request())).isInstanceOf(ExpertRejectedRequestException.class);
        assertThat(UPSTREAM.calls()).isEqualTo(1);
    }

    @Test
    void should_wait_as_long_as_retry_after_asks_before_retrying() {
        // given
        UPSTREAM.enqueue(Reply.error(429, "slow down", "Retry-After", "1"));
        ExpertClient client = client(Duration.ofSeconds(10));

        // when
        client.chat(request());

        // then
        List<FakeOpenAiUpstream.Received> calls = UPSTREAM.received();
        assertThat(calls).hasSize(2);
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void should_return_the_429_at_once_when_retry_after_exceeds_the_deadline() {
        // given
        UPSTREAM.enqueue(Reply.error(429, "slow down", "Retry-After", "120"));
        ExpertClient client = client(Duration.ofSeconds(5));

        // then
        assertThatThrownBy(() -> client.chat(request())).isInstanceOf(ExpertRateLimitedException.class);
        assertThat(UPSTREAM.calls()).isEqualTo(1);
    }

    @Test
    void should_keep_the_circuit_closed_however_many_429s_the_upstream_answers() {
        // given: three calls' worth of 429s without Retry-After, more than the four failures that open a circuit
        ExpertClient client = client(Duration.ofSeconds(5));
        for (int i = 0; i < 9; i++) {
            UPSTREAM.enqueue(Reply.error(429, "slow down"));
        }

        // when
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.chat(request())).isInstanceOf(ExpertRateLimitedException.class);
        }

        // then: every attempt reached the upstream, and the expert still takes calls
        assertThat(UPSTREAM.calls()).isEqualTo(9);
        assertThat(clients.health(client.expert().id())).isEqualTo(ExpertHealth.HEALTHY);
        assertThat(client.chat(request()).text()).isEqualTo("echo: ping");
        assertThat(meters.get("consilium.expert.rate.limited").tag("expert", client.expert().id())
                .tag("source", "upstream").counter().count()).isEqualTo(9);
    }

    @Test
    void should_refuse_calls_and_streams_at_once_while_a_retry_after_beyond_the_deadline_lasts() {
        // given
        UPSTREAM.enqueue(Reply.error(429, "come back later", "Retry-After", "120"));
        ExpertClient client = client(Duration.ofSeconds(5));
        ExpertClient other = client(Duration.ofSeconds(5));
        assertThatThrownBy(() -> client.chat(request())).isInstanceOf(ExpertRateLimitedException.class);

        // when / then
        assertThatThrownBy(() -> client.chat(request())).isInstanceOfSatisfying(ExpertRateLimitedException.class,
                e -> assertThat(e.retryAfter()).hasValueSatisfying(left -> assertThat(left).isPositive()));
        assertThatThrownBy(() -> client.stream(request())).isInstanceOf(ExpertRateLimitedException.class);
        assertThat(UPSTREAM.calls()).isEqualTo(1);
        assertThat(clients.health(client.expert().id())).isEqualTo(ExpertHealth.RATE_LIMITED);
        assertThat(other.chat(request()).text()).isEqualTo("echo: ping");
        assertThat(clients.health(other.expert().id())).isEqualTo(ExpertHealth.HEALTHY);
    }

    @Test
    void should_time_out_a_hanging_upstream_at_the_expert_timeout() {
        // given
        UPSTREAM.enqueue(Reply.hang());
        ExpertClient client = client(Duration.ofMillis(300));

        // then
        assertThatThrownBy(() -> client.chat(request()))
                .isInstanceOf(ExpertTimeoutException.class)
                .hasMessageContaining("300 ms");
    }

    @Test
    void should_cut_a_stream_that_stalls_past_the_deadline() {
        // given
        UPSTREAM.enqueue(Reply.stream(List.of("a", "b"), Duration.ofSeconds(30)));
        ExpertClient client = client(Duration.ofMillis(400));

        // when
        ChatStream stream = client.stream(request());

        // then
        assertThat(stream.next()).isPresent();
        assertThatThrownBy(() -> {
            while (stream.next().isPresent()) {
                // drain until the deadline cuts the stream
            }
        }).isInstanceOf(ExpertTimeoutException.class);
        stream.close();
    }

    @Test
    void should_open_the_circuit_after_repeated_failures_and_recover_through_half_open() {
        // given: every attempt fails; the 4th failed attempt (minimum calls) opens the circuit, so the
        // second call stops retrying as soon as the circuit opens
        ExpertClient client = client(Duration.ofSeconds(5));
        String id = client.expert().id();
        for (int i = 0; i < 4; i++) {
            UPSTREAM.enqueue(Reply.error(500, "down"));
        }
        assertThatThrownBy(() -> client.chat(request())).isInstanceOf(ExpertServerException.class);
        assertThatThrownBy(() -> client.chat(request())).isInstanceOf(ExpertUnavailableException.class);
        int callsWhenOpened = UPSTREAM.calls();
        assertThat(callsWhenOpened).isEqualTo(4);

        // when: the circuit is open, calls are rejected without reaching the upstream
        assertThat(clients.health(id)).isEqualTo(ExpertHealth.CIRCUIT_OPEN);
        assertThatThrownBy(() -> client.chat(request()))
                .isInstanceOfSatisfying(ExpertUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(ExpertUnavailableException.Reason.CIRCUIT_OPEN));
        assertThat(UPSTREAM.calls()).isEqualTo(callsWhenOpened);

        // then: after the open wait a trial call goes through and closes the circuit again
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(ExpertUnavailableException.class).untilAsserted(() ->
                assertThat(client.chat(request()).text()).isEqualTo("echo: ping"));
        assertThat(clients.health(id)).isEqualTo(ExpertHealth.HEALTHY);
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", id).meters()).isNotEmpty();
    }

    @Test
    void should_hold_a_concurrency_slot_for_the_life_of_a_stream() {
        // given: an expert that takes one call at a time
        Expert single = Expert.builder("resilient-" + IDS.incrementAndGet())
                .provider(Provider.OPENAI).baseUrl(UPSTREAM.baseUrl()).model("m")
                .limits(new Limits(1, Duration.ofSeconds(5), 4096))
                .build();
        ExpertClient client = clients.clientFor(single);
        ChatStream open = client.stream(request());

        // when: a second call arrives while the stream is open, and again after it is closed
        Throwable whileOpen = org.assertj.core.api.Assertions.catchThrowable(() -> client.chat(request()));
        open.close();
        String afterClose = client.chat(request()).text();

        // then
        assertThat(whileOpen).isInstanceOfSatisfying(ExpertUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(ExpertUnavailableException.Reason.AT_CAPACITY));
        assertThat(afterClose).isEqualTo("echo: ping");
    }

    @Test
    void should_give_the_slot_of_an_abandoned_stream_back_at_its_deadline() {
        // given: an expert that takes one call at a time, and a stream nobody reads or closes
        Expert single = Expert.builder("resilient-" + IDS.incrementAndGet())
                .provider(Provider.OPENAI).baseUrl(UPSTREAM.baseUrl()).model("m")
                .limits(new Limits(1, Duration.ofMillis(400), 4096))
                .build();
        ExpertClient client = clients.clientFor(single);
        UPSTREAM.enqueue(Reply.stream(List.of("a", "b"), Duration.ofSeconds(30)));
        client.stream(request());

        // then: once the deadline has passed, the expert takes calls again
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(ExpertUnavailableException.class)
                .untilAsserted(() -> assertThat(client.chat(request()).text()).isEqualTo("echo: ping"));
    }

    @Test
    void should_rebuild_the_client_when_the_definition_changes() {
        // given
        ExpertClient first = client(Duration.ofSeconds(5));
        Expert changed = first.expert().toBuilder().systemPrompt("new prompt").build();

        // when
        ExpertClient same = clients.clientFor(first.expert());
        ExpertClient rebuilt = clients.clientFor(changed);

        // then
        assertThat(same).isSameAs(first);
        assertThat(rebuilt).isNotSameAs(first);
        assertThat(rebuilt.expert().systemPrompt()).isEqualTo("new prompt");
    }
}
