package io.consilium.router.experts;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertHealth;
import io.consilium.router.RunningService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Active health checks: an expert whose endpoint cannot be reached is registered with a warning, shown as
 * unreachable, left out of plans and counted, until a check finds it reachable again.
 */
@TestPropertySource(properties = {"consilium.health-checks.enabled=true", "consilium.health-checks.first-retry=1h",
        "consilium.health-checks.interval=1h"})
class ExpertHealthChecksIT extends RunningService {

    private static final String CODER = """
            {"id": "%s", "provider": "openai", "base_url": "%s", "model": "coder", "skills": ["cs.programming"]}""";
    private static final String PROGRAMMING = """
            {"model": "consilium/route", "messages": [{"role": "user", "content": "Write a Python function that reverses a linked list"}]}""";

    @Autowired
    ReachabilityChecker checker;

    @Test
    void should_register_an_expert_whose_host_does_not_resolve_with_a_warning_and_never_plan_it() {
        // when: the README's example, on a name that cannot resolve anywhere (RFC 6761)
        HttpResponse<String> created = postJson("/admin/api/experts",
                CODER.formatted("health-vllm-coder", "http://vllm-coder.invalid:8000/v1"));

        // then
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode warnings = json(created).path("warnings");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).asString()).contains("http://vllm-coder.invalid:8000/v1 cannot be reached")
                .contains("does not resolve").contains("Routing skips this expert");
        assertThat(registry.health("health-vllm-coder")).isEqualTo(ExpertHealth.UNREACHABLE);
        assertThat(planned(PROGRAMMING)).doesNotContain("health-vllm-coder");
        assertThat(json(send("GET", "/v1/models/health-vllm-coder", null, null)).path("health").asString())
                .isEqualTo("unreachable");
        assertThat(send("GET", "/actuator/prometheus", null, null).body())
                .contains("consilium_expert_reachable{expert=\"health-vllm-coder\"} 0.0")
                .contains("consilium_expert_health_checks_total{expert=\"health-vllm-coder\",outcome=\"unreachable\"}");
    }

    @Test
    void should_plan_an_expert_again_once_a_check_finds_its_endpoint_listening() throws IOException {
        // given: a port nothing listens on yet
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        HttpResponse<String> created = postJson("/admin/api/experts",
                CODER.formatted("health-late-coder", "http://127.0.0.1:" + port + "/v1"));
        assertThat(json(created).path("warnings").get(0).asString()).contains("nothing accepts connections");
        assertThat(planned(PROGRAMMING)).doesNotContain("health-late-coder");

        // when: the server comes up and the next check runs
        try (ServerSocket listening = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            Expert expert = registry.find("health-late-coder").orElseThrow();
            assertThat(checker.checkNow(expert)).hasValueSatisfying(check -> assertThat(check.reachable()).isTrue());

            // then
            assertThat(registry.health("health-late-coder")).isEqualTo(ExpertHealth.HEALTHY);
            assertThat(json(send("GET", "/v1/models/health-late-coder", null, null)).path("health").asString())
                    .isEqualTo("healthy");
            assertThat(planned(PROGRAMMING)).contains("health-late-coder");
        }
    }

    @Test
    void should_register_a_reachable_expert_without_warnings() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HttpResponse<String> created = postJson("/admin/api/experts",
                    CODER.formatted("health-up-coder", "http://127.0.0.1:" + listening.getLocalPort() + "/v1"));

            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(json(created).has("warnings")).isFalse();
            assertThat(registry.health("health-up-coder")).isEqualTo(ExpertHealth.HEALTHY);
        }
    }

    /** The experts and reserves the route plan names for the request. */
    private String planned(String request) {
        HttpResponse<String> explained = postJson("/v1/routing/explain", request);
        assertThat(explained.statusCode()).as(explained.body()).isEqualTo(200);
        return explained.body();
    }
}
