package io.consilium.router;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Provider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service running on a random port, shared by every integration test class that extends this one
 * (same configuration, so Spring starts it once). Experts get unique ids per test so that tests never
 * see each other's circuit breakers. Tracing is as on the embedded defaults (off, trace context still
 * propagated), not switched off the way Spring Boot's tests otherwise do.
 */
@AutoConfigureTracing
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "consilium.resilience.open-state-wait=1s",
        "consilium.resilience.initial-backoff=20ms",
        "consilium.resilience.minimum-calls=4",
        "consilium.api.max-body-size=64KB",
        "consilium.auth.admin-key=" + RunningService.ADMIN_KEY,
        // Many tests register experts at dead addresses on purpose, to see calls fail: checks would keep
        // those out of plans at random moments. ExpertHealthChecksIT turns them on.
        "consilium.health-checks.enabled=false"
})
public abstract class RunningService {

    /** The admin key of the shared service; it also opens {@code /v1}, so tests not about keys use it everywhere. */
    protected static final String ADMIN_KEY = "test-admin-key";
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    protected int port;

    @Autowired
    protected ExpertRegistry registry;

    protected OpenAIClient openAi;

    @BeforeEach
    void connectClient() {
        openAi = OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl() + "/v1")
                .apiKey(ADMIN_KEY)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    protected String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Registers an OpenAI-compatible expert at the given upstream under a fresh id. */
    protected Expert registerRemote(String upstreamBaseUrl, UnaryOperator<Expert.Builder> customise) {
        Expert.Builder builder = Expert.builder("remote-" + IDS.incrementAndGet())
                .provider(Provider.OPENAI)
                .baseUrl(upstreamBaseUrl)
                .model("upstream-model-name")
                .apiKey("sk-upstream-secret-" + IDS.get());
        return registry.register(customise.apply(builder).build());
    }

    protected Expert registerRemote(String upstreamBaseUrl) {
        return registerRemote(upstreamBaseUrl, UnaryOperator.identity());
    }

    /** Sends a raw request with the admin key, for the cases an SDK would refuse to send. */
    protected HttpResponse<String> send(String method, String path, String contentType, String body) {
        return send(method, path, contentType, body, ADMIN_KEY);
    }

    /** Sends a raw request with the given bearer key, or none when it is null. */
    protected HttpResponse<String> send(String method, String path, String contentType, String body, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates an API key through the admin API: from a name, or from a whole key body (a JSON object with grants
     * and limits); returns the key.
     */
    protected String newApiKey(String nameOrBody) {
        String body = nameOrBody.startsWith("{") ? nameOrBody : "{\"name\": \"" + nameOrBody + "\"}";
        HttpResponse<String> created = postJson("/admin/api/keys", body);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("key not created: " + created.body());
        }
        return json(created).path("key").asString();
    }

    /** An OpenAI SDK client of the service that presents the given key. */
    protected OpenAIClient clientWithKey(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(baseUrl() + "/v1").apiKey(key).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    protected HttpResponse<String> postJson(String path, String body) {
        return send("POST", path, "application/json", body);
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
