package io.consilium.router.calls;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.EmbeddingRequest;
import io.consilium.registry.Embeddings;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.ResponsesAnswer;
import io.consilium.registry.ResponsesRequest;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

/**
 * How the service asks an expert for a whole (not streamed) answer. Experts whose client answers in batches
 * (local models) go through their {@link ExpertBatcher}; every other expert is called directly, since its
 * bulkhead already limits how many calls it gets at once. Code that wants an {@link ExpertClient} (fusion)
 * gets one from {@link #clientFor}, so that its calls take the same path.
 */
public final class ExpertCalls {

    private final ExpertRegistry registry;
    private final BatchingSettings settings;
    private final MeterRegistry meters;
    private final ConcurrentMap<String, ExpertBatcher> batchers = new ConcurrentHashMap<>();

    public ExpertCalls(ExpertRegistry registry, BatchingSettings settings, MeterRegistry meters) {
        this.registry = registry;
        this.settings = settings;
        this.meters = meters;
    }

    /**
     * The expert's answer to one request, batched with others' requests when the expert answers in batches.
     * An interrupt (the caller's client left, or its deadline passed) withdraws a request still queued.
     *
     * @throws io.consilium.registry.ExpertException when the expert, or the batch the request ran in, failed
     */
    public ChatCompletion chat(Expert expert, ChatRequest request) {
        ExpertClient client = registry.clientFor(expert);
        if (!client.answersInBatches()) {
            return client.chat(request);
        }
        return await(expert, batcher(expert).submit(client, request));
    }

    /**
     * The expert's vectors for the request's inputs. Embeddings are not gathered into batches here: one request
     * already carries its inputs together, and a built-in model runs them in one pass.
     *
     * @throws io.consilium.registry.ExpertException when the expert fails or refuses the request
     */
    public Embeddings embed(Expert expert, EmbeddingRequest request) {
        return registry.clientFor(expert).embed(request);
    }

    /**
     * The whole answer of an expert that serves the Responses API, to a request in that API's shape. Never
     * batched: only remote OpenAI-compatible experts serve that API, and their bulkhead limits their calls.
     *
     * @throws io.consilium.registry.ExpertException when the expert fails
     */
    public ResponsesAnswer respond(Expert expert, ResponsesRequest request) {
        return registry.clientFor(expert).respond(request);
    }

    /**
     * The Responses event stream of an expert that serves that API, open once the expert accepted the request.
     *
     * @throws io.consilium.registry.ExpertException when the stream cannot be opened
     */
    public ChatStream streamResponse(Expert expert, ResponsesRequest request) {
        return registry.clientFor(expert).streamResponse(request);
    }

    /**
     * The expert's client as seen through these calls: a whole answer goes through {@link #chat} (so a local
     * expert's request is batched with others'), a stream is opened on the expert's own client, since a
     * stream is never batched. Made per use; it holds nothing but the expert.
     */
    public ExpertClient clientFor(Expert expert) {
        return new BatchedView(expert);
    }

    /** Whether the expert's requests are gathered into batches. */
    public boolean answersInBatches(Expert expert) {
        return registry.clientFor(expert).answersInBatches();
    }

    /** The most requests one batch holds. */
    public int maxBatchSize() {
        return settings.maxBatchSize();
    }

    /**
     * Queues several requests for an expert that answers in batches, together, so that they fill whole
     * batches; answers come in request order. Cancelling an answer withdraws its request if its batch has
     * not started.
     *
     * @throws IllegalArgumentException when the expert does not answer in batches
     */
    public List<CompletableFuture<ChatCompletion>> submit(Expert expert, List<ChatRequest> requests) {
        ExpertClient client = registry.clientFor(expert);
        if (!client.answersInBatches()) {
            throw new IllegalArgumentException("expert '" + expert.id() + "' does not answer in batches");
        }
        return batcher(expert).submitAll(client, requests);
    }

    /** The expert's batcher, made on first use. */
    ExpertBatcher batcher(Expert expert) {
        return batchers.computeIfAbsent(expert.id(), id -> {
            DistributionSummary sizes = DistributionSummary.builder("consilium.expert.batch.size")
                    .description("Requests per batched pass of an expert that answers in batches")
                    .baseUnit("requests")
                    .tag("expert", id)
                    .register(meters);
            return new ExpertBatcher(id, settings, sizes::record);
        });
    }

    /** An expert's client whose whole answers go through the batcher when the expert answers in batches. */
    private final class BatchedView implements ExpertClient {

        private final Expert expert;

        BatchedView(Expert expert) {
            this.expert = expert;
        }

        @Override
        public Expert expert() {
            return expert;
        }

        @Override
        public ChatCompletion chat(ChatRequest request) {
            return ExpertCalls.this.chat(expert, request);
        }

        @Override
        public ChatStream stream(ChatRequest request) {
            return registry.clientFor(expert).stream(request);
        }

        @Override
        public boolean answersInBatches() {
            return ExpertCalls.this.answersInBatches(expert);
        }

        @Override
        public Embeddings embed(EmbeddingRequest request) {
            return ExpertCalls.this.embed(expert, request);
        }

        @Override
        public ResponsesAnswer respond(ResponsesRequest request) {
            return ExpertCalls.this.respond(expert, request);
        }

        @Override
        public ChatStream streamResponse(ResponsesRequest request) {
            return ExpertCalls.this.streamResponse(expert, request);
        }

        @Override
        public List<ChatCompletion> chatBatch(List<ChatRequest> requests) {
            if (!answersInBatches()) {
                return registry.clientFor(expert).chatBatch(requests);
            }
            List<CompletableFuture<ChatCompletion>> answers = submit(expert, requests);
            try {
                List<ChatCompletion> completions = new ArrayList<>(answers.size());
                for (CompletableFuture<ChatCompletion> answer : answers) {
                    completions.add(await(expert, answer));
                }
                return completions;
            } finally {
                // After a failure or an interrupt, the requests still queued are withdrawn; finished ones stay.
                answers.forEach(answer -> answer.cancel(false));
            }
        }
    }

    private static ChatCompletion await(Expert expert, CompletableFuture<ChatCompletion> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            answer.cancel(false);
            Thread.currentThread().interrupt();
            throw new ExpertTimeoutException(expert.id(), expert.limits().timeout());
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a batch failed", failure);
        }
    }
}
