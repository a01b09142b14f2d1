package io.consilium.router.batchapi;

import io.consilium.registry.EmbeddingRequest;
import io.consilium.registry.ExpertException;
import io.consilium.router.api.ApiException;
import io.consilium.router.api.ExpertFailures;
import io.consilium.router.embeddings.Embedder;
import io.consilium.router.embeddings.EmbeddingRequestValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpStatus;

/**
 * The embeddings lines of a batch, a few at a time, ordered by model so that each expert's lines run
 * together. A line is one call to one expert (for {@code consilium/route}, the one its inputs' domains
 * choose), done at once: nothing is planned, fused or handed to reserves as for chat lines.
 */
final class EmbeddingLines {

    private final Embedder embedder;
    private final EmbeddingRequestValidator validator = new EmbeddingRequestValidator();
    private final Duration circuitRetryAfter;
    private final int atOnce;

    EmbeddingLines(Embedder embedder, Duration circuitRetryAfter, int atOnce) {
        this.embedder = embedder;
        this.circuitRetryAfter = circuitRetryAfter;
        this.atOnce = atOnce;
    }

    void run(BatchRecord batch, List<BatchLine> lines, RunControl control, BatchEngine.Sink sink, StatsCounter stats) {
        ExecutorService pool = control.executor();
        Semaphore slots = new Semaphore(atOnce);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (BatchLine line : lines.stream().sorted(Comparator.comparing(BatchLine::model)).toList()) {
                running.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        if (!control.stopped()) {
                            embed(batch, line, sink, stats);
                        }
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
        } catch (RejectedExecutionException stopped) {
            // stopped while queueing
        }
        control.awaitAll(running);
        control.done(pool);
    }

    private void embed(BatchRecord batch, BatchLine line, BatchEngine.Sink sink, StatsCounter stats) {
        try {
            if (batch.deniedLines().contains(line.index())) {
                throw new ApiException(HttpStatus.FORBIDDEN, "permission_error", "model_not_allowed", "model",
                        "This API key may not use the model '" + line.model() + "'.", null);
            }
            EmbeddingRequest request = validator.validate(line.body().deepCopy());
            Embedder.Answer answer = embedder.embed(request, System.nanoTime());
            stats.grouped(answer.expertId(), 1);
            stats.called(answer.expertId(), true);
            sink.answered(line, answer.body());
        } catch (ApiException e) {
            sink.failed(line, e);
        } catch (ExpertException e) {
            stats.called(e.expertId(), false);
            sink.failed(line, ExpertFailures.toApiException(e, circuitRetryAfter));
        }
    }
}
