package io.consilium.router.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertHealth;
import io.consilium.registry.Limits;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.router.RunningService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An upstream's 429 is a rate limit on the caller, not a fault of the expert: a burst of them must not
 * open the expert's circuit (which would refuse it to every other caller for the open-state wait), is
 * counted apart, and its Retry-After holds calls to that expert, and to no other, until it has passed.
 */
class UpstreamRateLimitIT extends RunningService {

    /** Shorter than the Retry-After below, so a 429 that asks for it is not retried but handed back. */
    private static final Duration EXPERT_TIMEOUT = Duration.ofMillis(1500);
    private static final FakeOpenAiUpstream LIMITED = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream OTHER = FakeOpenAiUpstream.start();

    @Autowired
    private MeterRegistry meters;

    @AfterAll
    static void stopUpstreams() {
        LIMITED.close();
        OTHER.close();
    }

    @BeforeEach
    void resetUpstreams() {
        LIMITED.reset();
        OTHER.reset();
    }

    @Test
    void should_keep_the_circuit_closed_and_count_the_429s_when_an_upstream_answers_a_burst_of_them() {
        // given: nine 429s without Retry-After, three requests' worth with their two retries each, more
        // failed attempts than the four that open a circuit in the tests' settings
        Expert expert = registerRemote(LIMITED.baseUrl(), b -> b.limits(new Limits(8, EXPERT_TIMEOUT, 8192)));
        for (int i = 0; i < 9; i++) {
            LIMITED.enqueue(Reply.error(429, "slow down"));
        }

        // when
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(ask(expert).statusCode());
        }

        // then: every caller was told to slow down, none that the expert is unavailable
        assertThat(statuses).containsOnly(429);
        assertThat(LIMITED.calls()).isEqualTo(9);
        assertThat(registry.health(expert.id())).isNotEqualTo(ExpertHealth.CIRCUIT_OPEN);
        assertThat(circuitState(expert, "closed")).isEqualTo(1.0);
        assertThat(rateLimits(expert, "upstream")).isEqualTo(9.0);
        HttpResponse<String> next = ask(expert);
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(LIMITED.calls()).isEqualTo(10);
    }

    @Test
    void should_refuse_calls_to_the_expert_alone_until_its_retry_after_has_passed_without_touching_its_circuit() {
        // given
        Expert limited = registerRemote(LIMITED.baseUrl(), b -> b.limits(new Limits(8, EXPERT_TIMEOUT, 8192)));
        Expert other = registerRemote(OTHER.baseUrl(), b -> b.limits(new Limits(8, EXPERT_TIMEOUT, 8192)));
        LIMITED.enqueue(Reply.error(429, "slow down", "retry-after", "2"));
        HttpResponse<String> first = ask(limited);

        // when: asked again while the wait lasts, and another expert meanwhile
        HttpResponse<String> during = ask(limited);
        HttpResponse<String> streamedDuring = postJson("/v1/chat/completions", "{\"model\": \"" + limited.id()
                + "\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        HttpResponse<String> otherDuring = ask(other);

        // then: refused here, as rate-limited, without a call upstream; the other expert is not held
        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(during.statusCode()).as(during.body()).isEqualTo(429);
        assertThat(during.headers().firstValue("retry-after")).isPresent();
        assertThat(streamedDuring.statusCode()).as(streamedDuring.body()).isEqualTo(429);
        assertThat(LIMITED.calls()).isEqualTo(1);
        assertThat(otherDuring.statusCode()).isEqualTo(200);
        assertThat(registry.health(limited.id())).isEqualTo(ExpertHealth.RATE_LIMITED);
        assertThat(circuitState(limited, "closed")).isEqualTo(1.0);
        assertThat(rateLimits(limited, "upstream")).isEqualTo(1.0);
        assertThat(rateLimits(limited, "local")).isEqualTo(2.0);

        // then: once the wait has passed, calls reach the upstream again
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> ask(limited).statusCode() == 200);
        List<FakeOpenAiUpstream.Received> received = LIMITED.received();
        assertThat(received).hasSize(2);
        assertThat(Duration.between(received.get(0).at(), received.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(registry.health(limited.id())).isEqualTo(ExpertHealth.HEALTHY);
    }

    private HttpResponse<String> ask(Expert expert) {
        return postJson("/v1/chat/completions",
                "{\"model\": \"" + expert.id() + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
    }

    private double circuitState(Expert expert, String state) {
        Gauge gauge = meters.find("resilience4j.circuitbreaker.state").tag("name", expert.id()).tag("state", state).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    private double rateLimits(Expert expert, String source) {
        Counter counter = meters.find("consilium.expert.rate.limited").tag("expert", expert.id()).tag("source", source)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
