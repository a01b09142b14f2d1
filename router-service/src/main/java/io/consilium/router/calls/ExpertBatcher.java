package io.consilium.router.calls;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertProtocolException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Gathers the requests of one expert into batches. The first request to an idle expert starts at once;
 * requests that arrive while a batch runs wait for it and go together as the next batch, which waits at
 * most the window (counted from its oldest request's arrival) for more to fill it. One batch runs at a
 * time, on a virtual thread of the batcher's own, so that a caller who gives up (its client left) never
 * stops a batch that others are waiting on.
 */
final class ExpertBatcher {

    private final String expertId;
    private final BatchingSettings settings;
    private final IntConsumer batchSizes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Whether a drain thread is running; guarded by {@link #lock}. */
    private boolean draining;

    /**
     * @param batchSizes told the size of every batch that is run
     */
    ExpertBatcher(String expertId, BatchingSettings settings, IntConsumer batchSizes) {
        this.expertId = expertId;
        this.settings = settings;
        this.batchSizes = batchSizes;
    }

    /** Queues one request; cancelling the returned answer withdraws it if its batch has not started. */
    CompletableFuture<ChatCompletion> submit(ExpertClient client, ChatRequest request) {
        return submitAll(client, List.of(request)).getFirst();
    }

    /**
     * Queues requests together, so that they fill consecutive batches rather than racing the drain thread
     * one by one. Answers come in the order of the requests.
     */
    List<CompletableFuture<ChatCompletion>> submitAll(ExpertClient client, List<ChatRequest> requests) {
        long now = System.nanoTime();
        List<Pending> added = requests.stream()
                .map(request -> new Pending(client, request, now, new CompletableFuture<>()))
                .toList();
        lock.lock();
        try {
            queue.addAll(added);
            if (draining) {
                arrived.signalAll();
            } else {
                draining = true;
                Thread.ofVirtual().name("batcher-" + expertId).start(this::drain);
            }
        } finally {
            lock.unlock();
        }
        return added.stream().map(Pending::answer).toList();
    }

    /** Requests queued and not yet taken into a batch. */
    int waiting() {
        lock.lock();
        try {
            return (int) queue.stream().filter(pending -> !pending.answer().isDone()).count();
        } finally {
            lock.unlock();
        }
    }

    private void drain() {
        List<Pending> batch = next(true);
        while (batch != null) {
            run(batch);
            batch = next(false);
        }
    }

    /** The next batch, or null (and the drain thread ends) when nothing waits. */
    private @Nullable List<Pending> next(boolean idle) {
        lock.lock();
        try {
            if (!idle) {
                waitForMore();
            }
            queue.removeIf(pending -> pending.answer().isDone());
            if (queue.isEmpty()) {
                draining = false;
                return null;
            }
            // A definition change swaps the expert's client; requests for the old one go in a batch of their own.
            ExpertClient client = queue.getFirst().client();
            List<Pending> batch = new ArrayList<>();
            for (Iterator<Pending> it = queue.iterator(); it.hasNext() && batch.size() < settings.maxBatchSize(); ) {
                Pending pending = it.next();
                if (pending.client() == client) {
                    batch.add(pending);
                    it.remove();
                }
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Waits, with the lock held, until the batch is full or its oldest request has waited the window. */
    private void waitForMore() {
        if (queue.isEmpty()) {
            return;
        }
        long until = queue.getFirst().arrivedNanos() + settings.window().toNanos();
        while (queue.size() < settings.maxBatchSize()) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                arrived.await(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // Nobody interrupts this thread; if someone does, it only cuts the wait short.
                return;
            }
        }
    }

    private void run(List<Pending> batch) {
        batchSizes.accept(batch.size());
        try {
            List<ChatCompletion> answers = batch.getFirst().client()
                    .chatBatch(batch.stream().map(Pending::request).toList());
            if (answers.size() != batch.size()) {
                throw new ExpertProtocolException(expertId, "answered " + answers.size() + " of a batch of "
                        + batch.size() + " requests", null);
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).answer().complete(answers.get(i));
            }
        } catch (Throwable failure) {
            // Whatever went wrong, every caller of the batch must hear of it, and the drain loop must go on.
            batch.forEach(pending -> pending.answer().completeExceptionally(failure));
        }
    }

    /** A queued request and where its answer goes. */
    private record Pending(ExpertClient client, ChatRequest request, long arrivedNanos,
            CompletableFuture<ChatCompletion> answer) {}
}
