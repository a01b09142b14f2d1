package io.consilium.registry.internal;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.EmbeddingRequest;
import io.consilium.registry.Embeddings;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertCallMeters;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ResponsesAnswer;
import io.consilium.registry.ResponsesRequest;
import io.consilium.registry.Usage;
import io.consilium.registry.internal.ExpertCallObserver.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Observes every call to an expert once, on the {@link ExpertCallMeters}. It is the outermost decoration,
 * so a call with its retries is one call, and every caller is observed alike without recording anything
 * itself. A failure's outcome is read on the calling thread ({@link CallOutcome#ofCallOnThisThread}); a stream
 * is observed when it ends: answered, failed, or closed by its reader before its end ({@code client_gone}).
 */
final class ObservedExpertClient implements ExpertClient {

    private final ExpertClient delegate;
    private final ExpertCallObserver observer;

    ObservedExpertClient(ExpertClient delegate, ExpertCallObserver observer) {
        this.delegate = delegate;
        this.observer = observer;
    }

    @Override
    public Expert expert() {
        return delegate.expert();
    }

    @Override
    public ChatCompletion chat(ChatRequest request) {
        return observed(Mode.CHAT, () -> delegate.chat(request), ChatCompletion::usage);
    }

    @Override
    public Embeddings embed(EmbeddingRequest request) {
        return observed(Mode.EMBED, () -> delegate.embed(request), Embeddings::usage);
    }

    /** A whole Responses answer is a chat call to the meters: same mode, its tokens and cost counted alike. */
    @Override
    public ResponsesAnswer respond(ResponsesRequest request) {
        return observed(Mode.CHAT, () -> delegate.respond(request), ResponsesAnswer::usage);
    }

    private <T> T observed(Mode mode, Supplier<T> call, Function<T, Usage> usage) {
        long started = System.nanoTime();
        T answer;
        try {
            answer = call.get();
        } catch (RuntimeException | Error failure) {
            observer.failed(expert(), mode, CallOutcome.ofCallOnThisThread(failure), since(started));
            throw failure;
        }
        observer.answered(expert(), mode, usage.apply(answer), since(started));
        return answer;
    }

    @Override
    public boolean answersInBatches() {
        return delegate.answersInBatches();
    }

    /** Each request of a batch is a call: one pass answers them all, so each is observed with the pass's time and outcome. */
    @Override
    public List<ChatCompletion> chatBatch(List<ChatRequest> requests) {
        if (!delegate.answersInBatches()) {
            return requests.stream().map(this::chat).toList();
        }
        long started = System.nanoTime();
        List<ChatCompletion> answers;
        try {
            answers = delegate.chatBatch(requests);
        } catch (RuntimeException | Error failure) {
            CallOutcome outcome = CallOutcome.ofCallOnThisThread(failure);
            Duration latency = since(started);
            requests.forEach(request -> observer.failed(expert(), Mode.CHAT, outcome, latency));
            throw failure;
        }
        Duration latency = since(started);
        answers.forEach(answer -> observer.answered(expert(), Mode.CHAT, answer.usage(), latency));
        return answers;
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        return observedStream(() -> delegate.stream(request), ObservedExpertClient::chatUsage);
    }

    /** A Responses stream is observed as a chat stream, its usage read from its {@code response.completed} event. */
    @Override
    public ChatStream streamResponse(ResponsesRequest request) {
        return observedStream(() -> delegate.streamResponse(request), ObservedExpertClient::responsesUsage);
    }

    private ChatStream observedStream(Supplier<ChatStream> open, Function<ObjectNode, Optional<Usage>> usage) {
        long started = System.nanoTime();
        ChatStream opened;
        try {
            opened = open.get();
        } catch (RuntimeException | Error failure) {
            observer.failed(expert(), Mode.STREAM, CallOutcome.ofCallOnThisThread(failure), since(started));
            throw failure;
        }
        return new ObservedChatStream(opened, started, usage);
    }

    /** The usage a chat chunk reports: OpenAI's usage chunk, or any chunk that carries one. */
    private static Optional<Usage> chatUsage(ObjectNode chunk) {
        JsonNode reported = chunk.path("usage");
        return reported.isObject() ? Optional.of(Usage.from(reported)) : Optional.empty();
    }

    /** The usage of a Responses stream, which its final response object carries. */
    private static Optional<Usage> responsesUsage(ObjectNode event) {
        JsonNode reported = event.path("response").path("usage");
        return reported.isObject() ? Optional.of(Usage.fromResponses(reported)) : Optional.empty();
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Observes the stream once, when it ends; keeps the usage its last usage chunk reports. */
    private final class ObservedChatStream implements ChatStream {

        private final ChatStream stream;
        private final long started;
        private final Function<ObjectNode, Optional<Usage>> usageOf;
        private final AtomicBoolean observed = new AtomicBoolean();
        private Usage usage = Usage.NONE;

        ObservedChatStream(ChatStream stream, long started, Function<ObjectNode, Optional<Usage>> usageOf) {
            this.stream = stream;
            this.started = started;
            this.usageOf = usageOf;
        }

        @Override
        public Optional<ObjectNode> next() {
            Optional<ObjectNode> chunk;
            try {
                chunk = stream.next();
            } catch (RuntimeException | Error failure) {
                if (observed.compareAndSet(false, true)) {
                    observer.failed(expert(), Mode.STREAM, CallOutcome.ofCallOnThisThread(failure), since(started));
                }
                throw failure;
            }
            if (chunk.isEmpty()) {
                if (observed.compareAndSet(false, true)) {
                    observer.answered(expert(), Mode.STREAM, usage, since(started));
                }
                return chunk;
            }
            usageOf.apply(chunk.get()).ifPresent(reported -> usage = reported);
            return chunk;
        }

        @Override
        public void close() {
            try {
                stream.close();
            } finally {
                // Closed before its end: its reader had no use for the rest, as when its client hung up.
                if (observed.compareAndSet(false, true)) {
                    observer.failed(expert(), Mode.STREAM, CallOutcome.CLIENT_GONE, since(started));
                }
            }
        }
    }
}
