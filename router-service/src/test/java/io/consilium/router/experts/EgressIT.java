package io.consilium.router.experts;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RunningService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Experts whose base URL points where the service must never call are refused by the admin API. */
class EgressIT extends RunningService {

    private static final String ADMIN_KEY = "test-admin-key";
    private static final HttpClient ADMIN = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
        ADMIN.close();
    }

    /** An admin call, with the admin key that admin calls need. */
    private HttpResponse<String> admin(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + ADMIN_KEY)
                .header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return ADMIN.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String expert(String id, String baseUrl) {
        return """
                {"id": "%s", "provider": "openai", "base_url": "%s", "model": "served-model",
                 "api_key": "sk-egress-test", "skills": ["law"]}""".formatted(id, baseUrl);
    }

    @ParameterizedTest
    @CsvSource({
            "egress-imds, http://169.254.169.254/v1, a cloud metadata address",
            "egress-link-local, http://[fe80::1]/v1, a link-local address",
            "egress-gcp-name, http://metadata.google.internal/v1, a cloud metadata host name"})
    void should_refuse_with_400_naming_base_url_when_an_expert_points_where_calls_are_always_refused(
            String id, String baseUrl, String kind) {
        // when
        HttpResponse<String> refused = admin("POST", "/admin/api/experts", expert(id, baseUrl));

        // then
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode error = json(refused).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo("base_url");
        assertThat(error.path("message").asString()).contains(kind, "always refused", baseUrl);
        assertThat(registry.find(id)).isEmpty();
    }

    @Test
    void should_refuse_a_change_that_points_an_expert_at_a_metadata_address() {
        // given
        assertThat(admin("POST", "/admin/api/experts", expert("egress-moving", UPSTREAM.baseUrl())).statusCode())
                .isEqualTo(201);

        // when
        HttpResponse<String> refused = admin("PUT", "/admin/api/experts/egress-moving",
                expert("egress-moving", "http://169.254.169.254/latest/meta-data"));

        // then
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(json(refused).path("error").path("param").asString()).isEqualTo("base_url");
        assertThat(json(refused).path("error").path("message").asString()).contains("169.254.169.254");
        assertThat(registry.find("egress-moving").orElseThrow().baseUrl()).hasToString(UPSTREAM.baseUrl());
    }

    @Test
    void should_accept_and_call_an_expert_on_loopback_when_loopback_is_allowed_by_default() {
        // when
        HttpResponse<String> created = admin("POST", "/admin/api/experts", expert("egress-local", UPSTREAM.baseUrl()));
        HttpResponse<String> tried = admin("POST", "/admin/api/experts/egress-local/test", "");

        // then
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(tried).path("ok").asBoolean()).as(tried.body()).isTrue();
    }
}
