package io.consilium.router.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Recent figures read from a real Prometheus registry, as the service has one. */
class CallStatisticsTest {

    private static void call(PrometheusMeterRegistry meters, String expert, String mode, String outcome, Duration latency) {
        Timer.builder(LatencyBuckets.EXPERT_CALLS).tag("expert", expert).tag("mode", mode).tag("outcome", outcome)
                .register(meters).record(latency);
    }

    @Test
    void should_add_up_an_experts_calls_across_modes_and_count_failures_but_not_abandoned_calls() {
        // given: calls made before the statistics start do not count as recent
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.config().meterFilter(LatencyBuckets.meterFilter());
        call(meters, "math", "chat", "ok", Duration.ofSeconds(3));
        try (CallStatistics statistics = new CallStatistics(meters)) {
            for (int i = 0; i < 6; i++) {
                call(meters, "math", "chat", "ok", Duration.ofMillis(60));
                call(meters, "math", "stream", "ok", Duration.ofMillis(70));
            }
            call(meters, "math", "chat", "timeout", Duration.ofSeconds(2));
            call(meters, "math", "chat", "client_gone", Duration.ofMillis(5));

            // when
            CallStatistics.ExpertTally recent = statistics.recent().expert("math");
            CallStatistics.ExpertTally total = statistics.sinceStart().expert("math");

            // then
            assertThat(recent.calls()).isEqualTo(14);
            assertThat(recent.ok()).isEqualTo(12);
            assertThat(recent.failures()).isEqualTo(1);
            assertThat(recent.errorRate()).isEqualTo(1 / 13.0);
            assertThat(recent.p50()).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(recent.p95()).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(total.calls()).isEqualTo(15);
            assertThat(statistics.recent().expert("nobody").calls()).isZero();
        }
    }
}
