package io.consilium.registry.internal;

import com.anthropic.backends.AnthropicBackend;
import com.anthropic.client.AnthropicClientAsyncImpl;
import com.anthropic.client.AnthropicClientImpl;
import com.anthropic.core.ClientOptions;
import com.anthropic.core.JsonValue;
import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicRetryableException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.SseException;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatStream;
import io.consilium.registry.EgressPolicy;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertConnectionException;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertProtocolException;
import io.consilium.registry.ExpertServerException;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.Secret;
import io.consilium.registry.UpstreamHttpSettings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.BaseSubscriber;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls Anthropic's Messages API through Spring AI's {@link AnthropicChatModel} (the official
 * anthropic-java SDK), translating OpenAI requests and answers on the way. The SDK sends through
 * {@link AnthropicTransport}, over the upstream transport of the other providers, which never follows redirects.
 *
 * <p>The expert's {@code base-url} is the API root, e.g. {@code https://api.anthropic.com}; the SDK
 * adds {@code /v1/messages}. A base URL ending in {@code /v1} is accepted too, as OpenAI-style
 * configurations tend to carry it. The SDK does not retry: the resilience layer does.
 *
 * <p>Only text, images and the sampling options {@code max_tokens}, {@code temperature},
 * {@code top_p} and {@code stop} are translated; tools and other OpenAI-only fields are not sent.
 */
public final class AnthropicExpertClient extends AbstractExpertClient {

    /** Reads streamed answers; virtual threads, so that idle readers cost nothing and never hold the JVM up. */
    private static final ExecutorService STREAM_READERS = Executors.newVirtualThreadPerTaskExecutor();

    private final JsonMapper json;
    private final AnthropicChatModel model;
    private final SecretRedaction redaction;
    private final UpstreamTransport http;

    /** A client with an HTTP client of its own, under the default egress policy, redacting its own key. */
    public AnthropicExpertClient(Expert expert, JsonMapper json) {
        this(expert, OwnHttp.TRANSPORT, json, EgressPolicy.ofDefaults(), SecretRedaction.of(expert));
    }

    /** @param redaction takes stored keys out of the upstream's texts before they become messages */
    AnthropicExpertClient(Expert expert, UpstreamTransport http, JsonMapper json, EgressPolicy egress,
            SecretRedaction redaction) {
        super(expert, egress);
        this.json = json;
        this.redaction = redaction;
        this.http = http;
        // Without a key of its own the SDK would pick ANTHROPIC_API_KEY or a credentials profile from the
        // host and send it to whatever URL the expert names; a placeholder prevents that.
        AnthropicBackend backend = AnthropicBackend.builder()
                .apiKey(expert.apiKeyIfSet().map(Secret::reveal).orElse("none"))
                .baseUrl(apiRoot(String.valueOf(expert.baseUrl())))
                .build();
        AnthropicTransport transport = new AnthropicTransport(http, backend);
        ClientOptions.Builder client = ClientOptions.builder()
                .timeout(expert.limits().timeout())
                .maxRetries(0)
                .streamHandlerExecutor(STREAM_READERS);
        backend.applyCredentials(transport, client);
        ClientOptions clientOptions = client.httpClient(transport).build();
        AnthropicChatOptions options = AnthropicChatOptions.builder()
                .model(expert.model())
                .timeout(expert.limits().timeout())
                .maxRetries(0)
                .build();
        this.model = AnthropicChatModel.builder()
                .anthropicClient(new AnthropicClientImpl(clientOptions))
                .anthropicClientAsync(new AnthropicClientAsyncImpl(clientOptions))
                .options(options)
                .build();
    }

    @Override
    protected ChatCompletion doChat(ObjectNode body) {
        Prompt prompt = AnthropicMessages.toPrompt(body, model.getOptions(), expert.id(), Map.of());
        ChatResponse response;
        try {
            response = model.call(prompt);
        } catch (RuntimeException e) {
            throw failure(e);
        }
        if (response == null) {
            throw new ExpertProtocolException(expert.id(), "upstream gave no answer", null);
        }
        return new ChatCompletion(AnthropicMessages.toCompletion(response, json, modelName()));
    }

    @Override
    protected ChatStream doStream(ObjectNode body) {
        // Spring AI sends a stream's request from a thread of its own: the trace context goes with the request.
        Map<String, String> traceHeaders = new LinkedHashMap<>();
        http.addTraceHeaders(traceHeaders::put);
        Prompt prompt = AnthropicMessages.toPrompt(body, model.getOptions(), expert.id(), traceHeaders);
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        Upstream upstream = new Upstream();
        model.stream(prompt).subscribe(upstream);
        // Waiting for the first signal makes a refused request fail here, before the client sees a byte.
        Object first = upstream.take();
        if (first instanceof Throwable error) {
            upstream.dispose();
            throw failure(error);
        }
        return new AnthropicChatStream(upstream, first, includeUsage);
    }

    /** The API root the SDK expects: no trailing slash and no {@code /v1}, which it adds itself. */
    static String apiRoot(String baseUrl) {
        String root = baseUrl.strip();
        while (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        return root.endsWith("/v1") ? root.substring(0, root.length() - "/v1".length()) : root;
    }

    private String modelName() {
        return expert.model() != null ? expert.model() : expert.id();
    }

    /** Maps whatever Spring AI or the SDK threw, looking through the wrappers they add. */
    private ExpertException failure(Throwable thrown) {
        if (Thread.currentThread().isInterrupted()) {
            // The deadline interrupted this call; the socket error it caused is not the story.
            return new ExpertTimeoutException(expert.id(), expert.limits().timeout());
        }
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            switch (cause) {
                case ExpertException known -> {
                    return known;
                }
                case SseException event -> {
                    // An error event inside a stream that had started fine, e.g. overloaded_error. The SDK's
                    // exception is not kept as the cause: its message is the raw event, which may quote the key.
                    return new ExpertServerException(expert.id(), 502, "error event in stream: "
                            + UpstreamErrors.shorten(errorMessage(event.body()), redaction), null);
                }
                case AnthropicServiceException status -> {
                    // Not kept as the cause: the SDK's message is "<status>: <raw body>", and the body may quote the key.
                    return UpstreamErrors.fromStatus(expert.id(), status.statusCode(),
                            status.headers().values("retry-after").stream().findFirst().orElse(null),
                            errorMessage(status.body()), redaction);
                }
                case InterruptedIOException timedOut -> {
                    return new ExpertTimeoutException(expert.id(), expert.limits().timeout());
                }
                case UpstreamTimeoutException timedOut -> {
                    return new ExpertTimeoutException(expert.id(), expert.limits().timeout());
                }
                case AnthropicIoException io when io.getCause() == null -> {
                    return new ExpertConnectionException(expert.id(), "connection failed", io);
                }
                case AnthropicRetryableException retryable -> {
                    return new ExpertConnectionException(expert.id(), "transient SDK failure", retryable);
                }
                case IOException io -> {
                    return UpstreamErrors.fromIo(expert.id(), io);
                }
                case AnthropicInvalidDataException invalid -> {
                    return new ExpertProtocolException(expert.id(), "answer is not a valid Anthropic message", invalid);
                }
                default -> {
                    // keep looking: Reactor and the SDK wrap the interesting failure
                }
            }
        }
        return new ExpertProtocolException(expert.id(), "unexpected failure: " + thrown.getClass().getSimpleName(), thrown);
    }

    /**
     * The {@code error.message} of an Anthropic error body as written, for {@link UpstreamErrors} to redact and
     * shorten; the rest of the body is not echoed.
     */
    private static String errorMessage(JsonValue body) {
        return field(body, "error")
                .flatMap(error -> field(error, "message"))
                .flatMap(AnthropicExpertClient::string)
                .orElse("");
    }

    // JsonValue extends Kotlin's JsonField<Nothing>, which Java sees as a raw type: hence the casts.
    @SuppressWarnings("unchecked")
    private static Optional<JsonValue> field(JsonValue value, String name) {
        Optional<Map<String, JsonValue>> object = value.asObject();
        return object.map(fields -> fields.get(name));
    }

    @SuppressWarnings("unchecked")
    private static Optional<String> string(JsonValue value) {
        return value.asString();
    }

    /**
     * Receives the Flux one element at a time into a queue that {@link AnthropicChatStream} pulls from,
     * so a slow reader slows the upstream down instead of buffering the whole answer.
     */
    private static final class Upstream extends BaseSubscriber<ChatResponse> {

        private static final Object COMPLETE = new Object();
        private static final Object CLOSED = new Object();

        private final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(1);
        }

        @Override
        protected void hookOnNext(ChatResponse response) {
            signals.add(response);
        }

        @Override
        protected void hookOnComplete() {
            signals.add(COMPLETE);
        }

        @Override
        protected void hookOnError(Throwable error) {
            signals.add(error);
        }

        /** Blocks for the next response, {@link #COMPLETE}, {@link #CLOSED} or a Throwable. */
        Object take() {
            try {
                Object signal = signals.take();
                if (signal instanceof ChatResponse) {
                    request(1);
                }
                return signal;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                dispose();
                return e;
            }
        }

        /** Cancels the upstream and wakes a reader blocked in {@link #take()}. */
        void close() {
            dispose();
            signals.add(CLOSED);
        }
    }

    /** OpenAI chunks made from Spring AI's streamed responses, pulled one by one. */
    private final class AnthropicChatStream implements ChatStream {

        private final Upstream upstream;
        private final boolean includeUsage;
        private final Deque<ObjectNode> ready = new ArrayDeque<>();
        private final String id = AnthropicMessages.newId();
        private final long created = Instant.now().getEpochSecond();
        private @Nullable Object pending;
        private @Nullable Usage usage;
        private boolean finished;
        private boolean done;
        private volatile boolean closed;

        AnthropicChatStream(Upstream upstream, Object first, boolean includeUsage) {
            this.upstream = upstream;
            this.pending = first;
            this.includeUsage = includeUsage;
            ready.add(chunk(delta -> delta.put("role", "assistant").put("content", ""), null));
        }

        @Override
        public Optional<ObjectNode> next() {
            while (ready.isEmpty()) {
                if (done) {
                    return Optional.empty();
                }
                Object signal = pending != null ? pending : upstream.take();
                pending = null;
                accept(signal);
            }
            return Optional.of(ready.poll());
        }

        private void accept(Object signal) {
            switch (signal) {
                case ChatResponse response -> add(response);
                case Throwable error -> {
                    done = true;
                    upstream.dispose();
                    throw closed ? closedFailure() : failure(error);
                }
                default -> {
                    done = true;
                    if (signal == Upstream.CLOSED || closed) {
                        throw closedFailure();
                    }
                    if (!finished) {
                        throw new ExpertProtocolException(expert.id(), "stream ended before the answer finished", null);
                    }
                    if (includeUsage) {
                        ObjectNode last = envelope();
                        last.putArray("choices");
                        AnthropicMessages.putUsage(last, usage);
                        ready.add(last);
                    }
                }
            }
        }

        private void add(ChatResponse response) {
            String text = AnthropicMessages.deltaText(response);
            if (!text.isEmpty()) {
                ready.add(chunk(delta -> delta.put("content", text), null));
            }
            String stopReason = AnthropicMessages.stopReason(response);
            if (stopReason != null && !finished) {
                finished = true;
                usage = response.getMetadata().getUsage();
                ready.add(chunk(delta -> { }, AnthropicMessages.finishReason(stopReason)));
            }
        }

        private ExpertException closedFailure() {
            return new ExpertConnectionException(expert.id(), "stream closed before the answer finished", null);
        }

        private ObjectNode chunk(Consumer<ObjectNode> fillDelta, @Nullable String finishReason) {
            return CompletionChunks.withChoice(envelope(), fillDelta, finishReason);
        }

        private ObjectNode envelope() {
            ObjectNode chunk = json.createObjectNode();
            chunk.put("id", id);
            chunk.put("object", "chat.completion.chunk");
            chunk.put("created", created);
            // The upstream names its exact model only in the last event; every chunk must say the same.
            chunk.put("model", modelName());
            return chunk;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                upstream.close();
            }
        }
    }

    /** The transport of clients built without one, created on first use. */
    private static final class OwnHttp {

        static final UpstreamTransport TRANSPORT = UpstreamTransport.of(UpstreamHttpSettings.ofDefaults(),
                Executors.newVirtualThreadPerTaskExecutor());
    }
}
