package io.consilium.registry.internal;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatStream;
import io.consilium.registry.EgressPolicy;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertProtocolException;
import io.consilium.registry.ExpertTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls an OpenAI-compatible {@code /chat/completions} endpoint by forwarding the JSON body, so that
 * every field the client sent reaches the expert. Streams are read line by line as they arrive. The
 * HTTP client must not follow redirects: a redirect could lead past the egress policy.
 */
public final class OpenAiCompatibleClient extends AbstractExpertClient {

    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final HttpClient http;
    private final JsonMapper json;
    private final URI endpoint;
    private final SecretRedaction redaction;

    /** A client under the default egress policy, redacting its own key from upstream texts. */
    public OpenAiCompatibleClient(Expert expert, HttpClient http, JsonMapper json) {
        this(expert, http, json, EgressPolicy.ofDefaults(), SecretRedaction.of(expert));
    }

    /** @param redaction takes stored keys out of the upstream's texts before they become messages */
    public OpenAiCompatibleClient(Expert expert, HttpClient http, JsonMapper json, EgressPolicy egress,
            SecretRedaction redaction) {
        super(expert, egress);
        this.http = http;
        this.json = json;
        this.endpoint = chatCompletionsUri(expert);
        this.redaction = redaction;
    }

    @Override
    protected ChatCompletion doChat(ObjectNode body) {
        HttpResponse<InputStream> response = send(body, "application/json");
        try (InputStream in = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw failure(response, in);
            }
            JsonNode answer = json.readTree(in);
            if (!answer.isObject() || !answer.path("choices").isArray()) {
                throw new ExpertProtocolException(expert.id(), "answer is not a chat completion", null);
            }
            return new ChatCompletion((ObjectNode) answer);
        } catch (JacksonException e) {
            throw new ExpertProtocolException(expert.id(), "answer is not valid JSON", e);
        } catch (IOException e) {
            throw UpstreamErrors.fromIo(expert.id(), e);
        }
    }

    @Override
    protected ChatStream doStream(ObjectNode body) {
        HttpResponse<InputStream> response = send(body, "text/event-stream");
        InputStream in = response.body();
        if (response.statusCode() / 100 != 2) {
            try (in) {
                throw failure(response, in);
            } catch (IOException e) {
                throw UpstreamErrors.fromIo(expert.id(), e);
            }
        }
        String type = response.headers().firstValue("content-type").orElse("text/event-stream");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream")) {
            try (in) {
                // Read a little so the connection can be reused; the body is not an answer we can relay.
                in.readNBytes(MAX_ERROR_BODY);
            } catch (IOException ignored) {
                // the connection is dropped either way
            }
            throw new ExpertProtocolException(expert.id(), "answered a streamed request with '"
                    + UpstreamErrors.shorten(type, redaction) + "' instead of an event stream", null);
        }
        return new SseChatStream(expert.id(), in, json, redaction);
    }

    private HttpResponse<InputStream> send(ObjectNode body, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(expert.limits().timeout())
                .header("content-type", "application/json")
                .header("accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        expert.apiKeyIfSet().ifPresent(key -> request.header("authorization", "Bearer " + key.reveal()));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ExpertTimeoutException(expert.id(), expert.limits().timeout());
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw UpstreamErrors.fromIo(expert.id(), e);
        } catch (IOException e) {
            throw UpstreamErrors.fromIo(expert.id(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExpertTimeoutException(expert.id(), expert.limits().timeout());
        }
    }

    private ExpertException failure(HttpResponse<InputStream> response, InputStream in) throws IOException {
        String errorBody = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        return UpstreamErrors.fromStatus(expert.id(), response.statusCode(), response.headers(), errorBody, redaction);
    }

    private static URI chatCompletionsUri(Expert expert) {
        String base = String.valueOf(expert.baseUrl());
        return URI.create((base.endsWith("/") ? base : base + "/") + "chat/completions");
    }
}
