package io.consilium.router.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * IPv4 addresses written in the forms {@code inet_aton} accepts (octal, hex, a single number, fewer than
 * four parts) are read differently by different clients, so a check of one reading proves nothing about
 * the address another tool connects to. The admin API refuses them and says which address was meant.
 */
class NonCanonicalAddressIT extends RunningService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();
    private static final AtomicInteger IDS = new AtomicInteger();

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0177.0.0.1", "0x7f000001", "0x7f.0.0.1", "2130706433", "127.1", "127.0.1", "017700000001",
            "127.000.000.001"})
    void should_refuse_registering_an_expert_whose_host_is_a_non_canonical_ipv4_literal(String host) {
        // given
        String id = "non-canonical-" + IDS.incrementAndGet();

        // when
        HttpResponse<String> refused = postJson("/admin/api/experts", expert(id, host));

        // then
        assertRefusedNaming(refused, host);
        assertThat(registry.find(id)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0177.0.0.1", "0x7f000001", "0x7f.0.0.1", "2130706433", "127.1"})
    void should_refuse_moving_an_expert_to_a_non_canonical_ipv4_literal(String host) {
        // given
        String id = "non-canonical-" + IDS.incrementAndGet();
        assertThat(postJson("/admin/api/experts", expert(id, "127.0.0.1")).statusCode()).isEqualTo(201);

        // when
        HttpResponse<String> refused = send("PUT", "/admin/api/experts/" + id, "application/json", expert(id, host));

        // then
        assertRefusedNaming(refused, host);
        assertThat(registry.find(id).orElseThrow().baseUrl().getHost()).isEqualTo("127.0.0.1");
    }

    private static void assertRefusedNaming(HttpResponse<String> refused, String host) {
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode error = json(refused).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo("base_url");
        assertThat(error.path("message").asString()).contains("'" + host + "' is an IPv4 address in a non-canonical form "
                + "that clients read as 127.0.0.1; write it as 127.0.0.1");
    }

    /** An expert whose upstream really listens at 127.0.0.1, so an accepted literal would be called. */
    private static String expert(String id, String host) {
        return """
                {"id": "%s", "provider": "openai", "base_url": "http://%s:%d/v1", "model": "m", "api_key": "sk-literal-test"}
                """.formatted(id, host, UPSTREAM.port());
    }
}
