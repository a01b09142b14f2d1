package io.consilium.registry.internal;

import ai.onnxruntime.OrtEnvironment;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.LocalModelException;
import io.consilium.registry.LocalModelSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps local models in memory under a budget. A model is loaded on its first use and shared by every
 * expert with the same model directory (prompt experts over one base model); each use holds a
 * {@link Lease}. A load that would exceed the budget first unloads the least recently used models that
 * no lease holds; if the models in use leave no room, it waits until a lease is closed. A model's size
 * is estimated from its weight files.
 *
 * <p>Meters: {@code consilium.local.model.loads} and {@code consilium.local.model.evictions}, tagged with
 * {@code expert} (the expert whose call loaded the model; for an eviction, the expert that used it last),
 * and the gauge {@code consilium.local.model.resident.bytes}.
 */
public final class LocalModelResidency implements AutoCloseable {

    static final String LOADS = "consilium.local.model.loads";
    static final String EVICTIONS = "consilium.local.model.evictions";
    static final String RESIDENT_BYTES = "consilium.local.model.resident.bytes";

    private final LocalModelSettings settings;
    private final MeterRegistry meters;
    private final JsonMapper json;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Path, Entry> entries = new HashMap<>();
    private long reservedBytes;
    private long clock;
    private boolean closed;

    public LocalModelResidency(LocalModelSettings settings, MeterRegistry meters, JsonMapper json) {
        this.settings = settings;
        this.meters = meters;
        this.json = json;
        Gauge.builder(RESIDENT_BYTES, this, LocalModelResidency::residentBytes)
                .description("Estimated memory of the local models currently loaded")
                .baseUnit("bytes")
                .register(meters);
    }

    /**
     * The model of a directory, loaded if it is not resident; close the lease when done with it.
     *
     * @param expert a local expert, whose model path names the directory
     * @throws LocalModelException when the model cannot be loaded or can never fit the budget
     * @throws ExpertTimeoutException when the thread is interrupted while waiting (its caller gave up)
     */
    Lease acquire(Expert expert) {
        String modelPath = expert.modelPath();
        if (modelPath == null) {
            throw new LocalModelException(expert.id(), "has no model-path", null);
        }
        Path key = Path.of(modelPath).toAbsolutePath().normalize();
        return acquire(expert.id(), key, expert.limits().timeout());
    }

    private Lease acquire(String expertId, Path key, Duration deadline) {
        Optional<Lease> resident = leaseIfLoaded(expertId, key, deadline);
        if (resident.isPresent()) {
            return resident.get();
        }
        LocalModelFiles files;
        try {
            files = LocalModelFiles.inspect(key, json);
        } catch (MalformedModelException e) {
            throw new LocalModelException(expertId, "model-path " + key + " " + e.getMessage(), e);
        }
        if (files.footprintBytes() > settings.memoryBudgetBytes()) {
            throw new LocalModelException(expertId, "model " + key + " needs about " + files.footprintBytes()
                    + " bytes, more than the whole local model memory budget of " + settings.memoryBudgetBytes(), null);
        }
        Entry loading = reserve(expertId, key, files.footprintBytes(), deadline);
        if (loading.model != null) {
            return new Lease(loading); // another caller loaded it while this one inspected the files
        }
        LocalModel model;
        try {
            // Fetched here, not at construction, so that a service without local experts never loads ONNX Runtime.
            model = LocalModel.load(files, OrtEnvironment.getEnvironment(), settings.intraOpThreads());
        } catch (MalformedModelException | RuntimeException e) {
            abandon(loading);
            throw new LocalModelException(expertId, "cannot load model " + key + ": " + e.getMessage(), e);
        }
        if (!publish(loading, model)) {
            model.close();
            throw new LocalModelException(expertId, "local models were shut down", null);
        }
        Counter.builder(LOADS).tag("expert", expertId)
                .description("Local models loaded into memory").register(meters).increment();
        return new Lease(loading);
    }

    /** Estimated bytes of the models loaded or being loaded. */
    public long residentBytes() {
        lock.lock();
        try {
            return reservedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** The directories of the models loaded now. */
    public List<Path> residentModels() {
        lock.lock();
        try {
            return entries.values().stream().filter(e -> e.model != null).map(e -> e.directory).sorted().toList();
        } finally {
            lock.unlock();
        }
    }

    /** Unloads every model, in use or not; calls still running on one fail. */
    @Override
    public void close() {
        List<Entry> all;
        lock.lock();
        try {
            closed = true;
            all = new ArrayList<>(entries.values());
            entries.clear();
            reservedBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Entry entry : all) {
            LocalModel model = entry.model;
            if (model != null) {
                model.close();
            }
        }
    }

    private Optional<Lease> leaseIfLoaded(String expertId, Path key, Duration deadline) {
        lock.lock();
        try {
            while (true) {
                failIfClosed(expertId);
                Entry entry = entries.get(key);
                if (entry == null) {
                    return Optional.empty();
                }
                if (entry.model != null) {
                    return Optional.of(use(entry, expertId));
                }
                awaitChange(expertId, deadline); // another caller is loading it
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes room and registers the model as loading, or hands out the entry if another caller got there
     * first. Evicted models are closed after the lock is released.
     */
    private Entry reserve(String expertId, Path key, long bytes, Duration deadline) {
        List<Entry> evicted = new ArrayList<>();
        lock.lock();
        try {
            while (true) {
                failIfClosed(expertId);
                Entry existing = entries.get(key);
                if (existing != null) {
                    if (existing.model != null) {
                        use(existing, expertId);
                        return existing;
                    }
                    awaitChange(expertId, deadline);
                    continue;
                }
                while (reservedBytes + bytes > settings.memoryBudgetBytes()) {
                    Entry victim = leastRecentlyUsedIdle();
                    if (victim == null) {
                        break;
                    }
                    entries.remove(victim.directory);
                    reservedBytes -= victim.bytes;
                    evicted.add(victim);
                }
                if (reservedBytes + bytes <= settings.memoryBudgetBytes()) {
                    Entry entry = new Entry(key, bytes, expertId);
                    entries.put(key, entry);
                    reservedBytes += bytes;
                    return entry;
                }
                awaitChange(expertId, deadline); // the models in use leave no room: wait for a lease to close
            }
        } finally {
            lock.unlock();
            for (Entry victim : evicted) {
                closeEvicted(victim);
            }
        }
    }

    private boolean publish(Entry entry, LocalModel model) {
        lock.lock();
        try {
            if (closed || entries.get(entry.directory) != entry) {
                return false;
            }
            entry.model = model;
            entry.users = 1;
            entry.lastUsed = ++clock;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void abandon(Entry entry) {
        lock.lock();
        try {
            if (entries.remove(entry.directory, entry)) {
                reservedBytes -= entry.bytes;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Lease use(Entry entry, String expertId) {
        entry.users++;
        entry.lastUsed = ++clock;
        entry.lastExpert = expertId;
        return new Lease(entry);
    }

    private @Nullable Entry leastRecentlyUsedIdle() {
        return entries.values().stream()
                .filter(e -> e.model != null && e.users == 0)
                .min(Comparator.comparingLong(e -> e.lastUsed))
                .orElse(null);
    }

    private void closeEvicted(Entry victim) {
        LocalModel model = victim.model;
        if (model != null) {
            model.close();
        }
        Counter.builder(EVICTIONS).tag("expert", victim.lastExpert)
                .description("Local models unloaded to make room for another").register(meters).increment();
    }

    private void release(Entry entry) {
        lock.lock();
        try {
            entry.users--;
            entry.lastUsed = ++clock;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a lease to close or a load to end; the caller's deadline interrupts the wait. */
    private void awaitChange(String expertId, Duration deadline) {
        try {
            changed.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExpertTimeoutException(expertId, deadline);
        }
    }

    private void failIfClosed(String expertId) {
        if (closed) {
            throw new LocalModelException(expertId, "local models were shut down", null);
        }
    }

    /** One model directory's slot in the budget. Guarded by the lock. */
    private static final class Entry {

        final Path directory;
        final long bytes;
        @Nullable LocalModel model;
        int users;
        long lastUsed;
        String lastExpert;

        Entry(Path directory, long bytes, String expertId) {
            this.directory = directory;
            this.bytes = bytes;
            this.lastExpert = expertId;
        }
    }

    /** A use of a resident model; while any lease is open the model stays loaded. Close it once. */
    final class Lease implements AutoCloseable {

        private final Entry entry;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Lease(Entry entry) {
            this.entry = entry;
        }

        LocalModel model() {
            LocalModel model = entry.model;
            if (model == null || !open.get()) {
                throw new IllegalStateException("lease on " + entry.directory + " is closed");
            }
            return model;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                release(entry);
            }
        }
    }
}
