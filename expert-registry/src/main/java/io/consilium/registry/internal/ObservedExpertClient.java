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
import io.consilium.registry.Usage;
import io.consilium.registry.internal.ExpertCallObserver.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
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
        long started = System.nanoTime();
        ChatCompletion answer;
        try {
            answer = delegate.chat(request);
        } catch (RuntimeException | Error failure) {
            observer.failed(expert(), Mode.CHAT, CallOutcome.ofCallOnThisThread(failure), since(started));
            throw failure;
        }
        observer.answered(expert(), Mode.CHAT, answer.usage(), since(started));
        return answer;
    }

    @Override
    public Embeddings embed(EmbeddingRequest request) {
        long started = System.nanoTime();
        Embeddings answer;
        try {
            answer = delegate.embed(request);
        } catch (RuntimeException | Error failure) {
            observer.failed(expert(), Mode.EMBED, CallOutcome.ofCallOnThisThread(failure), since(started));
            throw failure;
        }
        observer.answered(expert(), Mode.EMBED, answer.usage(), since(started));
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
        long started = System.nanoTime();
        ChatStream opened;
        try {
            opened = delegate.stream(request);
        } catch (RuntimeException | Error failure) {
            observer.failed(expert(), Mode.STREAM, CallOutcome.ofCallOnThisThread(failure), since(started));
            throw failure;
        }
        return new ObservedChatStream(opened, started);
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Observes the stream once, when it ends; keeps the usage its last usage chunk reports. */
    private final class ObservedChatStream implements ChatStream {

        private final ChatStream stream;
        private final long started;
        private final AtomicBoolean observed = new AtomicBoolean();
        private Usage usage = Usage.NONE;

        ObservedChatStream(ChatStream stream, long started) {
            this.stream = stream;
            this.started = started;
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
            JsonNode reported = chunk.get().path("usage");
            if (reported.isObject()) {
                usage = Usage.from(reported);
            }
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
