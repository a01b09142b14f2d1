package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.UpstreamHttpSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UpstreamTransport} must do, whichever HTTP client is under it: reuse connections, leave
 * redirects alone, end at the timeout, give up an exchange when its thread is interrupted or its body is closed
 * early, and refuse answers longer than asked. Extend it once per {@link UpstreamHttpSettings.Client}.
 */
abstract class UpstreamTransportContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private SocketUpstream upstream;
    private UpstreamTransport transport;

    /** The HTTP client under test. */
    protected abstract UpstreamHttpSettings.Client httpClient();

    @BeforeEach
    void start() {
        upstream = SocketUpstream.start();
        transport = UpstreamTransport.of(UpstreamHttpSettings.custom().client(httpClient()).build(),
                Executors.newVirtualThreadPerTaskExecutor());
    }

    @AfterEach
    void stop() {
        transport.close();
        upstream.close();
    }

    @Test
    void should_reuse_one_connection_when_calls_follow_one_another() throws Exception {
        // when
        for (int i = 0; i < 3; i++) {
            try (UpstreamResponse answer = transport.fetch(post("/ok", TIMEOUT), 1024)) {
                assertThat(answer.body().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo(SocketUpstream.OK_BODY);
            }
            try (UpstreamResponse answer = transport.open(post("/ok", TIMEOUT)); InputStream body = answer.body()) {
                assertThat(body.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo(SocketUpstream.OK_BODY);
            }
        }

        // then
        assertThat(upstream.requests()).isEqualTo(6);
        assertThat(upstream.connections()).isEqualTo(1);
    }

    @Test
    void should_hand_back_a_redirect_without_following_it() throws Exception {
        // when
        try (UpstreamResponse fetched = transport.fetch(post("/redirect", TIMEOUT), 1024);
                UpstreamResponse opened = transport.open(post("/redirect", TIMEOUT))) {

            // then
            assertThat(fetched.status()).isEqualTo(302);
            assertThat(fetched.header("Location")).contains("/elsewhere");
            assertThat(opened.status()).isEqualTo(302);
        }
        assertThat(upstream.redirectsFollowed()).isZero();
    }

    @Test
    void should_give_the_status_and_headers_whatever_the_case_of_their_names() throws Exception {
        // when
        try (UpstreamResponse answer = transport.fetch(post("/ok", TIMEOUT), 1024)) {

            // then
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("Content-Type")).contains("application/json");
            assertThat(answer.header("content-type")).contains("application/json");
            assertThat(answer.headers()).containsKey("CONTENT-TYPE");
            assertThat(answer.header("x-absent")).isEmpty();
        }
    }

    @Test
    void should_fail_with_a_timeout_when_no_answer_comes_in_time() {
        // given
        Duration brief = Duration.ofMillis(300);
        long started = System.nanoTime();

        // when / then
        assertThatThrownBy(() -> transport.fetch(post("/hang", brief), 1024))
                .isInstanceOfSatisfying(UpstreamTimeoutException.class,
                        e -> assertThat(e.deadline()).isEqualTo(brief));
        assertThatThrownBy(() -> transport.open(post("/hang", brief))).isInstanceOf(UpstreamTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void should_abandon_the_exchange_when_the_calling_thread_is_interrupted() throws Exception {
        for (boolean whole : new boolean[] {true, false}) {
            // given
            int hangUps = upstream.hangUps();
            int requests = upstream.requests();
            Thread caller = Thread.currentThread();
            Thread.ofVirtual().start(() -> {
                await().until(() -> upstream.requests() > requests && waiting(caller));
                caller.interrupt();
            });

            // when / then
            assertThatThrownBy(() -> {
                if (whole) {
                    transport.fetch(post("/hang", TIMEOUT), 1024);
                } else {
                    transport.open(post("/hang", TIMEOUT));
                }
            }).isInstanceOf(InterruptedException.class);
            Thread.interrupted();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(upstream.hangUps()).as("the upstream was hung up on").isGreaterThan(hangUps));
        }
    }

    @Test
    void should_drop_the_connection_when_a_body_is_closed_before_its_end() throws Exception {
        // given
        UpstreamResponse answer = transport.open(post("/endless", TIMEOUT));
        InputStream body = answer.body();
        assertThat(body.readNBytes(20)).isNotEmpty();

        // when
        answer.close();

        // then
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(upstream.hangUps()).as("the upstream was hung up on").isEqualTo(1));
        answer.close(); // a second close is harmless
    }

    @Test
    void should_stop_a_body_read_when_the_reading_thread_is_interrupted() throws Exception {
        // given
        UpstreamResponse answer = transport.open(post("/endless", TIMEOUT));
        InputStream body = answer.body();
        Thread reader = Thread.currentThread();
        Thread.ofVirtual().start(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            reader.interrupt();
        });

        // when / then: reading goes on until the interrupt, then fails
        assertThatThrownBy(() -> {
            while (body.read(new byte[64]) >= 0) {
                // keep reading
            }
        }).isInstanceOf(IOException.class);
        Thread.interrupted();
        answer.close();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(upstream.hangUps()).isEqualTo(1));
    }

    @Test
    void should_refuse_a_whole_answer_longer_than_the_caller_accepts() {
        // when / then
        assertThatThrownBy(() -> transport.fetch(post("/large", TIMEOUT), SocketUpstream.LARGE_BODY - 1))
                .isInstanceOfSatisfying(AnswerTooLargeException.class,
                        e -> assertThat(e.maxBytes()).isEqualTo(SocketUpstream.LARGE_BODY - 1));
    }

    @Test
    void should_take_a_whole_answer_as_long_as_the_caller_accepts() throws Exception {
        // when
        try (UpstreamResponse answer = transport.fetch(post("/large", TIMEOUT), SocketUpstream.LARGE_BODY)) {

            // then
            assertThat(answer.body().readAllBytes()).hasSize(SocketUpstream.LARGE_BODY);
        }
    }

    private static boolean waiting(Thread thread) {
        return thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING;
    }

    private UpstreamRequest post(String path, Duration timeout) {
        return new UpstreamRequest("POST", upstream.uri(path), Map.of("content-type", List.of("application/json")),
                "{}".getBytes(StandardCharsets.UTF_8), timeout);
    }
}
