package io.consilium.router.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Requests to one of several service replicas a test started, each on its own port. */
public final class ReplicaRequests {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Adding a skill or an exemplar retrains the classifier before answering: seconds on a busy 2-core machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ReplicaRequests() {}

    /** Sends a request with the given bearer key (none when null) and JSON body (none when null). */
    public static HttpResponse<String> send(ConfigurableApplicationContext replica, String method, String path,
            @Nullable String bearer, @Nullable String body) {
        int port = ((WebServerApplicationContext) replica).getWebServer().getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
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
     * Returns once every replica's classifier answers. A replica loads it in the background after it is ready;
     * a test that measures how fast a change travels between replicas measures it between settled ones, not
     * while both still load on two cores.
     */
    public static void awaitClassifiers(String bearer, ConfigurableApplicationContext... replicas) {
        for (ConfigurableApplicationContext replica : replicas) {
            HttpResponse<String> classified = send(replica, "POST", "/v1/classify", bearer,
                    "{\"input\": \"How do I solve a quadratic equation?\"}");
            if (classified.statusCode() != 200) {
                throw new IllegalStateException("a replica's classifier did not answer: " + classified.statusCode() + " "
                        + classified.body());
            }
        }
    }
}
