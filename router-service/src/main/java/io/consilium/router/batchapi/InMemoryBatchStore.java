package io.consilium.router.batchapi;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** {@link BatchStore} in this process: one lock, plain maps; gone when the process ends. */
final class InMemoryBatchStore implements BatchStore {

    /** Newest first, ties by id, as Redis orders its sorted set in reverse. */
    static final Comparator<BatchRecord> NEWEST_FIRST = Comparator
            .comparingLong((BatchRecord batch) -> batch.times().createdAt())
            .thenComparing(BatchRecord::id)
            .reversed();

    private final Map<String, BatchFile> files = new HashMap<>();
    private final Map<String, String> contents = new HashMap<>();
    private final Map<String, BatchRecord> batches = new HashMap<>();
    private final Map<String, Instant> cancels = new HashMap<>();
    private final Map<String, Map<Integer, String>> results = new HashMap<>();
    private final Map<String, Counts> counts = new HashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();

    @Override
    public synchronized void saveFile(BatchFile file, String content) {
        files.put(file.id(), file);
        contents.put(file.id(), content);
    }

    @Override
    public synchronized Optional<BatchFile> findFile(String id) {
        return Optional.ofNullable(files.get(id));
    }

    @Override
    public synchronized Optional<String> content(String fileId) {
        return Optional.ofNullable(contents.get(fileId));
    }

    @Override
    public synchronized void save(BatchRecord batch) {
        batches.put(batch.id(), batch);
    }

    @Override
    public synchronized Optional<BatchRecord> find(String id) {
        return Optional.ofNullable(batches.get(id));
    }

    @Override
    public synchronized List<BatchRecord> list(@Nullable String after, int limit) {
        TreeSet<BatchRecord> ordered = new TreeSet<>(NEWEST_FIRST);
        ordered.addAll(batches.values());
        BatchRecord cursor = after == null ? null : batches.get(after);
        if (after != null && cursor == null) {
            return List.of();
        }
        List<BatchRecord> page = new ArrayList<>();
        for (BatchRecord batch : cursor == null ? ordered : ordered.tailSet(cursor, false)) {
            if (page.size() >= limit) {
                break;
            }
            page.add(batch);
        }
        return page;
    }

    @Override
    public synchronized List<String> unfinished() {
        return batches.values().stream().filter(batch -> !batch.status().isFinal()).map(BatchRecord::id).sorted().toList();
    }

    @Override
    public synchronized Instant requestCancel(String batchId, Instant now) {
        return cancels.computeIfAbsent(batchId, id -> now);
    }

    @Override
    public synchronized Optional<Instant> cancelRequested(String batchId) {
        return Optional.ofNullable(cancels.get(batchId));
    }

    @Override
    public synchronized boolean putResult(String batchId, int line, boolean ok, String outputLine) {
        if (results.computeIfAbsent(batchId, id -> new HashMap<>()).putIfAbsent(line, outputLine) != null) {
            return false;
        }
        Counts before = counts.getOrDefault(batchId, new Counts(0, 0));
        counts.put(batchId, ok ? new Counts(before.completed() + 1, before.failed())
                : new Counts(before.completed(), before.failed() + 1));
        return true;
    }

    @Override
    public synchronized Map<Integer, String> results(String batchId) {
        return new TreeMap<>(results.getOrDefault(batchId, Map.of()));
    }

    @Override
    public synchronized Set<Integer> finishedLines(String batchId) {
        return Set.copyOf(results.getOrDefault(batchId, Map.of()).keySet());
    }

    @Override
    public synchronized Counts counts(String batchId) {
        return counts.getOrDefault(batchId, new Counts(0, 0));
    }

    @Override
    public synchronized boolean claim(String batchId, String runner, Duration lease) {
        long now = System.nanoTime();
        Lease held = leases.get(batchId);
        if (held != null && !held.runner().equals(runner) && held.untilNanos() - now > 0) {
            return false;
        }
        leases.put(batchId, new Lease(runner, now + lease.toNanos()));
        return true;
    }

    @Override
    public synchronized void release(String batchId, String runner) {
        Lease held = leases.get(batchId);
        if (held != null && held.runner().equals(runner)) {
            leases.remove(batchId);
        }
    }

    private record Lease(String runner, long untilNanos) {}
}
