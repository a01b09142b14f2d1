package io.consilium.registry.internal;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatStream;
import io.consilium.registry.EgressPolicy;
import io.consilium.registry.EmbeddingRequest;
import io.consilium.registry.Embeddings;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertProtocolException;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.ResponsesAnswer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls an OpenAI-compatible {@code /chat/completions} (or {@code /embeddings}, or for an expert that declares it
 * {@code /responses}) endpoint by forwarding the JSON body, so that
 * every field the client sent reaches the expert. A whole answer is taken in one piece; streams are read
 * line by line as they arrive. The transport never follows redirects: a redirect could lead past the egress
 * policy.
 */
public final class OpenAiCompatibleClient extends AbstractExpertClient {

    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** Far above any real completion; an upstream cannot make the router hold more than this for one answer. */
    private static final int MAX_ANSWER = 32 * 1024 * 1024;

    private final UpstreamTransport http;
    private final JsonMapper json;
    private final URI endpoint;
    private final URI embeddingsEndpoint;
    private final URI responsesEndpoint;
    private final SecretRedaction redaction;

    /** A client under the default egress policy, redacting its own key from upstream texts. */
    OpenAiCompatibleClient(Expert expert, UpstreamTransport http, JsonMapper json) {
        this(expert, http, json, EgressPolicy.ofDefaults(), SecretRedaction.of(expert));
    }

    /** @param redaction takes stored keys out of the upstream's texts before they become messages */
    OpenAiCompatibleClient(Expert expert, UpstreamTransport http, JsonMapper json, EgressPolicy egress,
            SecretRedaction redaction) {
        super(expert, egress);
        this.http = http;
        this.json = json;
        this.endpoint = endpointUri(expert, "chat/completions");
        this.embeddingsEndpoint = endpointUri(expert, "embeddings");
        this.responsesEndpoint = endpointUri(expert, "responses");
        this.redaction = redaction;
    }

    @Override
    protected ChatCompletion doChat(ObjectNode body) {
        JsonNode answer = whole(endpoint, body);
        if (!answer.isObject() || !answer.path("choices").isArray()) {
            throw new ExpertProtocolException(expert.id(), "answer is not a chat completion", null);
        }
        return new ChatCompletion((ObjectNode) answer);
    }

    @Override
    protected ChatStream doStream(ObjectNode body) {
        return events(endpoint, body, SseChatStream.Protocol.CHAT);
    }

    /** Forwards the body to {@code /responses} and takes the whole {@code response} object. */
    @Override
    protected ResponsesAnswer doRespond(ObjectNode body) {
        JsonNode answer = whole(responsesEndpoint, body);
        if (!answer.isObject() || !answer.path("output").isArray()) {
            throw new ExpertProtocolException(expert.id(), "answer is not a Responses API response", null);
        }
        return new ResponsesAnswer((ObjectNode) answer);
    }

    /** Forwards the body to {@code /responses} and reads its events as they arrive. */
    @Override
    protected ChatStream doStreamResponse(ObjectNode body) {
        return events(responsesEndpoint, body, SseChatStream.Protocol.RESPONSES);
    }

    /** Posts the body and reads the whole JSON answer; a failure status becomes the exception that says what it means. */
    private JsonNode whole(URI target, ObjectNode body) {
        try (UpstreamResponse response = call(target, body, "application/json", true);
                InputStream in = response.body()) {
            if (response.status() / 100 != 2) {
                throw failure(response, in);
            }
            return json.readTree(in);
        } catch (JacksonException e) {
            throw new ExpertProtocolException(expert.id(), "answer is not valid JSON", e);
        } catch (IOException e) {
            throw UpstreamErrors.fromIo(expert.id(), e);
        }
    }

    /** Posts the body and opens its event stream, read as the protocol says. */
    private ChatStream events(URI target, ObjectNode body, SseChatStream.Protocol protocol) {
        UpstreamResponse response = call(target, body, "text/event-stream", false);
        InputStream in = response.body();
        if (response.status() / 100 != 2) {
            try (response; in) {
                throw failure(response, in);
            } catch (IOException e) {
                throw UpstreamErrors.fromIo(expert.id(), e);
            }
        }
        String type = response.header("content-type").orElse("text/event-stream");
        if (!type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            try (response; in) {
                // Read a little so the connection can be reused; the body is not an answer we can relay.
                in.readNBytes(MAX_ERROR_BODY);
            } catch (IOException ignored) {
                // the connection is dropped either way
            }
            throw new ExpertProtocolException(expert.id(), "answered a streamed request with '"
                    + UpstreamErrors.shorten(type, redaction) + "' instead of an event stream", null);
        }
        return new SseChatStream(expert.id(), protocol, response, json, redaction);
    }

    /** Sends the body; a whole answer is fetched in one piece, a stream is opened. */
    private UpstreamResponse call(URI endpoint, ObjectNode body, String accept, boolean whole) {
        byte[] bytes = json.writeValueAsBytes(body);
        UpstreamRequest request = expert.apiKeyIfSet()
                .map(key -> UpstreamRequest.postJson(endpoint, bytes, expert.limits().timeout(),
                        "accept", accept, "authorization", "Bearer " + key.reveal()))
                .orElseGet(() -> UpstreamRequest.postJson(endpoint, bytes, expert.limits().timeout(), "accept", accept));
        try {
            return whole ? http.fetch(request, MAX_ANSWER) : http.open(request);
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

    private ExpertException failure(UpstreamResponse response, InputStream in) throws IOException {
        String errorBody = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        return UpstreamErrors.fromAnswer(expert.id(), response.status(), response.header("retry-after").orElse(null),
                errorBody, redaction);
    }

    /** Forwards the body to {@code /embeddings}; the vectors come back as floats or base64, as the body asked. */
    @Override
    protected Embeddings doEmbed(ObjectNode body, EmbeddingRequest request) {
        return UpstreamEmbeddings.read(expert.id(), whole(embeddingsEndpoint, body), request.inputCount());
    }

    private static URI endpointUri(Expert expert, String path) {
        String base = String.valueOf(expert.baseUrl());
        return URI.create((base.endsWith("/") ? base : base + "/") + path);
    }
}
