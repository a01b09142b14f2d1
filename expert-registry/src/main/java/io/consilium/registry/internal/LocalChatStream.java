package io.consilium.registry.internal;

import ai.onnxruntime.OrtException;
import io.consilium.registry.ChatStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local answer streamed as it is generated: each {@link #next()} runs forward passes until the
 * sequence has released new text, so the reader sets the pace and nothing is generated ahead of it.
 * The model stays leased until the answer ends or the stream is closed, whichever comes first.
 */
final class LocalChatStream implements ChatStream {

    private final LocalExpertClient client;
    private final LocalModelResidency.Lease lease;
    private final BatchGeneration generation;
    private final GeneratedSequence sequence;
    private final String id;
    private final boolean includeUsage;
    private final Deque<ObjectNode> ready = new ArrayDeque<>();
    private boolean started;
    private boolean ended;
    private boolean closed;

    LocalChatStream(LocalExpertClient client, LocalModelResidency.Lease lease, BatchGeneration generation,
            GeneratedSequence sequence, String id, boolean includeUsage) {
        this.client = client;
        this.lease = lease;
        this.generation = generation;
        this.sequence = sequence;
        this.id = id;
        this.includeUsage = includeUsage;
    }

    @Override
    public synchronized Optional<ObjectNode> next() {
        while (ready.isEmpty() && !ended && !closed) {
            if (!started) {
                started = true;
                ready.add(chunk(delta -> delta.put("role", "assistant").put("content", ""), null));
            } else if (sequence.finished()) {
                end();
            } else {
                advance();
            }
        }
        return Optional.ofNullable(ready.poll());
    }

    /** Runs one pass; queues the text it released, if any. */
    private void advance() {
        try {
            generation.step();
        } catch (OrtException e) {
            close();
            throw client.inferenceFailed(e);
        } catch (BatchGeneration.GenerationInterruptedException e) {
            close();
            throw client.timedOut();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        String text = sequence.takeReleased();
        if (!text.isEmpty()) {
            ready.add(chunk(delta -> delta.put("content", text), null));
        }
    }

    /** Queues the last text, the finish reason and the usage, and gives the model back at once. */
    private void end() {
        ended = true;
        String text = sequence.takeReleased();
        if (!text.isEmpty()) {
            ready.add(chunk(delta -> delta.put("content", text), null));
        }
        ready.add(chunk(delta -> { }, sequence.finishReason()));
        if (includeUsage) {
            ObjectNode usage = client.envelope(id, "chat.completion.chunk");
            usage.putArray("choices");
            LocalExpertClient.putUsage(usage, sequence);
            ready.add(usage);
        }
        release();
    }

    private ObjectNode chunk(Consumer<ObjectNode> fillDelta, @Nullable String finishReason) {
        return CompletionChunks.withChoice(client.envelope(id, "chat.completion.chunk"), fillDelta, finishReason);
    }

    /** Safe from any thread and more than once; waits for a pass under way to finish. */
    @Override
    public synchronized void close() {
        closed = true;
        ready.clear();
        release();
    }

    private void release() {
        generation.close();
        lease.close();
    }
}
