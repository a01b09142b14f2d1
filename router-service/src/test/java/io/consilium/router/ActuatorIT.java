package io.consilium.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ActuatorIT extends RunningService {

    @Test
    void should_report_liveness_and_readiness() {
        HttpResponse<String> liveness = send("GET", "/actuator/health/liveness", null, null);
        HttpResponse<String> readiness = send("GET", "/actuator/health/readiness", null, null);

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(json(liveness).path("status").asString()).isEqualTo("UP");
        assertThat(readiness.statusCode()).isEqualTo(200);
    }

    @Test
    void should_export_expert_and_resilience_metrics_for_prometheus() {
        // given: one call through a mock expert
        postJson("/v1/chat/completions",
                "{\"model\": \"mock-code\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");

        // when
        HttpResponse<String> scrape = send("GET", "/actuator/prometheus", null, null);

        // then
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .contains("consilium_expert_calls_seconds_count{")
                .contains("expert=\"mock-code\"")
                .contains("resilience4j_circuitbreaker_state{");
        // Requests are counted and timed, without a long-task timer started and stopped around each one.
        assertThat(scrape.body()).contains("http_server_requests_seconds_count{")
                .doesNotContain("http_server_requests_active_seconds");
    }
}
