package io.consilium.registry.internal;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.EmbeddingRequest;
import io.consilium.registry.Embeddings;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.ExpertUnavailableException;
import io.consilium.registry.ResponsesAnswer;
import io.consilium.registry.ResponsesRequest;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decorates a provider client with the expert's guards. Each attempt passes the Retry-After hold (a 429
 * that asked to wait refuses attempts until then), the bulkhead and the circuit breaker; retries (retriable failures only, jittered, Retry-After honoured) repeat attempts;
 * the time limiter puts the whole sequence under one deadline, the expert's timeout. A stream holds
 * its bulkhead slot until it is closed and is cut off when the deadline passes.
 */
final class ResilientExpertClient implements ExpertClient {

    private final ExpertClient delegate;
    private final ExpertGuards guards;
    private final ExecutorService callers;
    private final ScheduledExecutorService deadlines;
    private final boolean stopsOnInterrupt;
    private final AttemptObservations attempts;

    /**
     * @param stopsOnInterrupt whether the delegate's calls stop when their thread is interrupted (HTTP and mock
     *     experts): their deadline is then an interrupt on the caller's own thread; other calls (native model
     *     code) run on a thread of {@code callers} so the caller can stop waiting at the deadline
     */
    ResilientExpertClient(ExpertClient delegate, ExpertGuards guards, ExecutorService callers,
            ScheduledExecutorService deadlines, boolean stopsOnInterrupt, AttemptObservations attempts) {
        this.delegate = delegate;
        this.attempts = attempts;
        this.guards = guards;
        this.callers = callers;
        this.deadlines = deadlines;
        this.stopsOnInterrupt = stopsOnInterrupt;
    }

    @Override
    public Expert expert() {
        return delegate.expert();
    }

    @Override
    public ChatCompletion chat(ChatRequest request) {
        return whole(guarded -> attempts.chat(expert(), request, guarded, this::outcomeOf),
                () -> delegate.chat(request));
    }

    /** Embeddings pass the same guards as a whole chat answer. */
    @Override
    public Embeddings embed(EmbeddingRequest request) {
        return whole(guarded -> attempts.embeddings(expert(), guarded, this::outcomeOf),
                () -> delegate.embed(request));
    }

    /** A whole Responses answer passes the same guards as a whole chat answer. */
    @Override
    public ResponsesAnswer respond(ResponsesRequest request) {
        return whole(guarded -> attempts.forwarded(expert(), guarded, this::outcomeOf),
                () -> delegate.respond(request));
    }

    /** Each attempt through the hold, the bulkhead and the circuit breaker; retries; all under one deadline. */
    private <T> T whole(UnaryOperator<Supplier<T>> observed, Supplier<T> call) {
        Supplier<T> attempt = observed.apply(guards.retryAfterHold().decorate(
                Bulkhead.decorateSupplier(guards.bulkhead(), CircuitBreaker.decorateSupplier(guards.circuitBreaker(), call))));
        return withinDeadline(Retry.decorateSupplier(guards.retry(), attempt));
    }

    @Override
    public boolean answersInBatches() {
        return delegate.answersInBatches();
    }

    /** A batch is one call: one bulkhead slot, one circuit-breaker outcome, one deadline for all of it. */
    @Override
    public List<ChatCompletion> chatBatch(List<ChatRequest> requests) {
        if (!delegate.answersInBatches()) {
            return requests.stream().map(this::chat).toList();
        }
        return whole(UnaryOperator.identity(), () -> delegate.chatBatch(requests));
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        return guardedStream(opening -> attempts.chat(expert(), request, opening, this::outcomeOf),
                () -> delegate.stream(request));
    }

    /** A Responses stream is guarded as a chat stream: retried only while opening, cut at the deadline. */
    @Override
    public ChatStream streamResponse(ResponsesRequest request) {
        return guardedStream(opening -> attempts.forwarded(expert(), opening, this::outcomeOf),
                () -> delegate.streamResponse(request));
    }

    /**
     * Opens the stream under the guards (retries only until it is open: after that its events may have reached
     * the client) and keeps it under the deadline and its bulkhead slot until it is closed.
     */
    private ChatStream guardedStream(UnaryOperator<Supplier<ChatStream>> observed, Supplier<ChatStream> open) {
        long started = System.nanoTime();
        // A streamed attempt is observed until the stream is open: its answer is the relay's to follow.
        ChatStream opened = withinDeadline(Retry.decorateSupplier(guards.retry(),
                observed.apply(guards.retryAfterHold().decorate(() -> openHoldingSlot(open)))));
        Duration left = timeout().minusNanos(System.nanoTime() - started);
        return new GuardedChatStream(opened, expert().id(), timeout(), guards, deadlines, left);
    }

    /** Takes a bulkhead slot for the life of the stream; gives it back if opening fails. */
    private ChatStream openHoldingSlot(Supplier<ChatStream> open) {
        guards.bulkhead().acquirePermission();
        try {
            return CircuitBreaker.decorateSupplier(guards.circuitBreaker(), open).get();
        } catch (RuntimeException e) {
            guards.bulkhead().onComplete();
            throw e;
        }
    }

    private <T> T withinDeadline(Supplier<T> call) {
        return stopsOnInterrupt ? onThisThread(call) : onAnotherThread(call);
    }

    /**
     * Runs the call on the caller's thread and interrupts it at the deadline. Handing every call to another
     * thread only to wait for it showed in profiles of the direct path; the time limiter still records each
     * outcome, so its metrics read as before.
     */
    private <T> T onThisThread(Supplier<T> call) {
        DeadlineInterrupt deadline = DeadlineInterrupt.after(timeout(), deadlines);
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            if (deadline.stop()) {
                guards.timeLimiter().onError(new TimeoutException("deadline of " + timeout() + " passed"));
                throw new ExpertTimeoutException(expert().id(), timeout());
            }
            guards.timeLimiter().onError(e);
            throw translate(e);
        }
        // An answer that arrived just as the deadline passed is still an answer.
        deadline.stop();
        guards.timeLimiter().onSuccess();
        return result;
    }

    private <T> T onAnotherThread(Supplier<T> call) {
        java.util.concurrent.Future<T> running = callers.submit(attempts.inCurrentObservation(call)::get);
        try {
            return guards.timeLimiter().executeFutureSupplier(() -> running);
        } catch (InterruptedException e) {
            // The caller gave up (its own deadline, or its client left): stop the call too.
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw new ExpertTimeoutException(expert().id(), timeout());
        } catch (TimeoutException e) {
            throw new ExpertTimeoutException(expert().id(), timeout());
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        } catch (Exception e) {
            throw translate(e);
        }
    }

    /** How an attempt ended, as its caller will be told. */
    private CallOutcome outcomeOf(Throwable failure) {
        return CallOutcome.ofCallOnThisThread(translate(failure));
    }

    private RuntimeException translate(Throwable failure) {
        return switch (failure) {
            case ExpertException expertFailure -> expertFailure;
            case CallNotPermittedException open ->
                    new ExpertUnavailableException(expert().id(), ExpertUnavailableException.Reason.CIRCUIT_OPEN);
            case BulkheadFullException full ->
                    new ExpertUnavailableException(expert().id(), ExpertUnavailableException.Reason.AT_CAPACITY);
            case RuntimeException other -> other;
            default -> new IllegalStateException(failure);
        };
    }

    private Duration timeout() {
        return expert().limits().timeout();
    }

    /** Closes the stream at the deadline, counts mid-stream failures and frees the slot on close. */
    private static final class GuardedChatStream implements ChatStream {

        private final ChatStream stream;
        private final String expertId;
        private final Duration timeout;
        private final ExpertGuards guards;
        private volatile @Nullable ScheduledFuture<?> cutOff;
        private volatile boolean expired;
        private boolean closed;

        GuardedChatStream(ChatStream stream, String expertId, Duration timeout, ExpertGuards guards,
                ScheduledExecutorService deadlines, Duration left) {
            this.stream = stream;
            this.expertId = expertId;
            this.timeout = timeout;
            this.guards = guards;
            this.cutOff = deadlines.schedule(this::expire, Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
        }

        /** At the deadline: cut the stream and give its slot back, even if its reader never closes it. */
        private void expire() {
            expired = true;
            close();
        }

        @Override
        public Optional<ObjectNode> next() {
            if (expired) {
                throw new ExpertTimeoutException(expertId, timeout);
            }
            try {
                return stream.next();
            } catch (RuntimeException e) {
                RuntimeException failure = expired ? new ExpertTimeoutException(expertId, timeout) : e;
                guards.circuitBreaker().onError(0, TimeUnit.NANOSECONDS, failure);
                throw failure;
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                ScheduledFuture<?> timer = cutOff;
                if (timer != null) {
                    timer.cancel(false); // null only when the deadline passed before the timer was stored
                }
                stream.close();
                guards.bulkhead().onComplete();
            }
        }
    }
}
