package io.consilium.router.batchapi;

import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Batches, their files and per-line results. Chosen with the other stores by {@code consilium.store}: in
 * memory (one process; nothing survives a restart) or in Redis (shared by replicas; survives restarts).
 * Implementations are thread-safe; a Redis store fails with
 * {@link io.consilium.router.state.StateUnavailableException} when Redis cannot be reached.
 */
public interface BatchStore {

    /** A store in this process. */
    static BatchStore inMemory() {
        return new InMemoryBatchStore();
    }

    /** A store in Redis, over the service's command connection. */
    static BatchStore redis(StatefulRedisConnection<String, String> connection) {
        return new RedisBatchStore(connection);
    }

    void saveFile(BatchFile file, String content);

    Optional<BatchFile> findFile(String id);

    Optional<String> content(String fileId);

    /** Creates or replaces a batch; a batch whose status is not final is listed by {@link #unfinished()}. */
    void save(BatchRecord batch);

    Optional<BatchRecord> find(String id);

    /** Batches newest first; with {@code after}, those that come after that batch in this order. */
    List<BatchRecord> list(@Nullable String after, int limit);

    /** Ids of batches whose status is not final: the ones to resume. */
    List<String> unfinished();

    /** Asks for a batch to be cancelled; returns when that was first asked, however often it is asked. */
    Instant requestCancel(String batchId, Instant now);

    Optional<Instant> cancelRequested(String batchId);

    /**
     * Stores a line's output once; the first result of a line counts (as completed or failed) and later ones
     * are ignored, so a line finished twice is counted once.
     *
     * @return whether this result was the one stored
     */
    boolean putResult(String batchId, int line, boolean ok, String outputLine);

    /** The stored output lines by line index. */
    Map<Integer, String> results(String batchId);

    /** Indexes of the lines that have a result. */
    Set<Integer> finishedLines(String batchId);

    Counts counts(String batchId);

    /**
     * Takes or renews the lease on a batch for one runner. Only the holder runs the batch; a lease that is not
     * renewed lapses, so that another runner can resume the batch.
     *
     * @return whether the runner holds the lease now
     */
    boolean claim(String batchId, String runner, Duration lease);

    /** Gives the lease up, if the runner holds it. */
    void release(String batchId, String runner);

    /** Lines finished so far: answered, and failed. */
    record Counts(int completed, int failed) {}
}
