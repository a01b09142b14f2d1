package io.consilium.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Active reachability checks against real sockets on loopback, with a resolver that knows one name. */
class ReachabilityTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private final EgressPolicy egress = EgressPolicy.ofDefaults().toBuilder().resolver(host -> {
        if (host.equals("models.internal")) {
            return List.of(InetAddress.getLoopbackAddress());
        }
        throw new UnknownHostException(host);
    }).build();
    private final Reachability reachability = new Reachability(egress,
            new Reachability.Settings(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(1)), clock);
    private ServerSocket listening;

    @AfterEach
    void close() throws IOException {
        if (listening != null) {
            listening.close();
        }
    }

    @Test
    void should_find_an_endpoint_that_accepts_connections_reachable_and_check_it_again_after_the_interval()
            throws IOException {
        // given
        listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Expert expert = remote("served", "http://models.internal:" + listening.getLocalPort() + "/v1");

        // when
        Reachability.Check check = reachability.check(expert).orElseThrow();

        // then
        assertThat(check.reachable()).isTrue();
        assertThat(reachability.unreachable("served")).isFalse();
        assertThat(check.nextCheck()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(reachability.due(expert)).isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(reachability.due(expert)).isTrue();
    }

    @Test
    void should_name_a_host_that_does_not_resolve_and_back_off_doubling_up_to_the_interval() {
        // given: the README's example host, which resolves nowhere here
        Expert expert = remote("vllm-coder", "http://vllm-coder:8000/v1");

        // when / then: 5 s, 10 s, 20 s, then every 30 s
        for (long wait : new long[] {5, 10, 20, 30, 30}) {
            Reachability.Check check = reachability.check(expert).orElseThrow();
            assertThat(check.problem()).isEqualTo("the host vllm-coder does not resolve");
            assertThat(check.nextCheck()).isEqualTo(clock.instant().plusSeconds(wait));
            clock.advance(Duration.ofSeconds(wait));
        }
        assertThat(reachability.unreachable("vllm-coder")).isTrue();
    }

    @Test
    void should_find_a_closed_port_unreachable_and_recover_when_it_opens() throws IOException {
        // given: a port nothing listens on
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Expert expert = remote("down", "http://models.internal:" + port + "/v1");

        // when
        Reachability.Check failed = reachability.check(expert).orElseThrow();

        // then
        assertThat(failed.problem()).startsWith("nothing accepts connections at models.internal:" + port);
        assertThat(reachability.unreachable("down")).isTrue();

        // when: something listens there, and the next check comes
        listening = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Reachability.Check passed = reachability.check(expert).orElseThrow();

        // then
        assertThat(passed.reachable()).isTrue();
        assertThat(passed.failures()).isZero();
        assertThat(reachability.unreachable("down")).isFalse();
    }

    @Test
    void should_refuse_to_connect_where_the_egress_policy_forbids_it() {
        Reachability strict = new Reachability(EgressPolicy.publicOnly(), Reachability.Settings.ofDefaults(), clock);

        Reachability.Check check = strict.check(remote("local", "http://127.0.0.1:9/v1")).orElseThrow();

        assertThat(check.problem()).startsWith("refused by the egress policy");
    }

    @Test
    void should_leave_experts_that_call_nobody_unchecked_and_check_a_moved_expert_at_once() {
        Expert mock = Expert.builder("mocked").provider(Provider.MOCK).build();
        assertThat(reachability.check(mock)).isEmpty();
        assertThat(reachability.due(mock)).isFalse();
        assertThat(reachability.unreachable("mocked")).isFalse();

        Expert expert = remote("moving", "http://vllm-coder:8000/v1");
        reachability.check(expert);
        assertThat(reachability.due(expert)).isFalse();
        assertThat(reachability.due(remote("moving", "http://models.internal:8000/v1"))).isTrue();
        reachability.retainOnly(List.of());
        assertThat(reachability.last("moving")).isEmpty();
    }

    private static Expert remote(String id, String baseUrl) {
        return Expert.builder(id).provider(Provider.OPENAI).baseUrl(URI.create(baseUrl)).model("m").build();
    }

    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
