package io.consilium.router.state;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * This replica's copy of a keyed set kept in Redis, so that reads on the request path never wait for
 * Redis and keep working while it is down. Reads see an immutable snapshot (no lock, no copying); every
 * change builds a new one.
 *
 * <p>Changes to the snapshot are serialised by one lock, and a reload holds it across its Redis read.
 * A write made here goes to Redis first and is applied to the snapshot under the lock afterwards, so a
 * reload running meanwhile cannot overwrite it with what it read before. The replica also hears its own
 * announcement and reloads the item, which settles two local writers racing on one id.
 *
 * <p>When Redis lost its data (restarted empty, flushed), the full reload first writes this copy back
 * ({@link ReplicaSource#refill}); nothing is announced, every replica does the same on its own resync,
 * and Redis ends up with the union of what they held. A write checks first that the set was not lost
 * since ({@link #beforeWrite}), so that it never lands on an empty set that the refill would then only
 * partly fill: an update or a revocation of a missing item, a profile counted again from zero.
 */
public final class LocalCopy<T> {

    private final ReplicaSource<T> source;
    private final Function<T, String> idOf;
    private final Consumer<String> removedElsewhere;
    /** Reads of the whole set tried before giving up on a Redis that keeps losing it. */
    private static final int RELOAD_ATTEMPTS = 3;

    private final ReentrantLock lock = new ReentrantLock();
    private volatile Snapshot<T> snapshot = new Snapshot<>(new TreeMap<>());
    /** The generation of the set this copy was last reconciled with; empty before the first load. */
    private volatile String generation = "";

    /**
     * Loads the whole set at once; fails with {@link StateUnavailableException} when Redis is unreachable.
     *
     * @param removedElsewhere told the id of an item this copy held that is gone from Redis
     */
    public LocalCopy(ReplicaSource<T> source, Function<T, String> idOf, Consumer<String> removedElsewhere) {
        this.source = source;
        this.idOf = idOf;
        this.removedElsewhere = removedElsewhere;
        reloadAll();
    }

    public Optional<T> get(String id) {
        return Optional.ofNullable(snapshot.byId().get(id));
    }

    /** Every item, ordered by id. */
    public List<T> all() {
        return snapshot.ordered();
    }

    /**
     * Call before writing to the set: refills Redis from this copy first if it lost the set since this
     * copy last looked. One read of the generation when nothing was lost.
     */
    public void beforeWrite() {
        if (!source.generation().map(generation::equals).orElse(false)) {
            reloadAll();
        }
    }

    /** Applies a write this replica made to Redis. */
    public void stored(T item) {
        lock.lock();
        try {
            snapshot = snapshot.with(idOf.apply(item), item);
        } finally {
            lock.unlock();
        }
    }

    /** Applies a removal this replica made in Redis. */
    public void removed(String id) {
        lock.lock();
        try {
            snapshot = snapshot.without(id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Re-reads one item that another replica (or this one) announced as changed. An item gone from Redis
     * was deleted only if Redis still holds the set this copy knows; if Redis lost the set meanwhile (an
     * announcement can arrive after a flush), the whole copy is written back instead of the item forgotten.
     */
    public void reload(String id) {
        lock.lock();
        try {
            Optional<T> current = source.find(id);
            if (current.isPresent()) {
                snapshot = snapshot.with(id, current.get());
            } else if (snapshot.byId().containsKey(id)) {
                if (!source.generation().map(generation::equals).orElse(false)) {
                    reloadAll();
                    return;
                }
                snapshot = snapshot.without(id);
                removedElsewhere.accept(id);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Re-reads the whole set, writing this copy back first if Redis lost the set. What was read is taken
     * only if the set was not lost again while it was read: a flush between the refill and the read would
     * otherwise hand this copy an empty or partial set, and the next refill would have nothing to write.
     */
    public void reloadAll() {
        lock.lock();
        try {
            for (int attempt = 1; attempt <= RELOAD_ATTEMPTS; attempt++) {
                String current = source.refill(generation, snapshot.byId().values());
                List<T> read = source.findAll();
                if (source.generation().map(current::equals).orElse(false)) {
                    generation = current;
                    adopt(read);
                    return;
                }
            }
            // Redis keeps losing the set: keep what this copy holds, and refill at the next chance.
            generation = "";
        } finally {
            lock.unlock();
        }
    }

    private void adopt(List<T> read) {
        TreeMap<String, T> loaded = new TreeMap<>();
        for (T item : read) {
            loaded.put(idOf.apply(item), item);
        }
        for (String id : snapshot.byId().keySet()) {
            if (!loaded.containsKey(id)) {
                removedElsewhere.accept(id);
            }
        }
        snapshot = new Snapshot<>(loaded);
    }

    /** An immutable sorted view; {@code ordered} is computed once per change, not per read. */
    private record Snapshot<T>(NavigableMap<String, T> byId, List<T> ordered) {

        Snapshot(NavigableMap<String, T> byId) {
            this(Collections.unmodifiableNavigableMap(byId), List.copyOf(byId.values()));
        }

        Snapshot<T> with(String id, T item) {
            TreeMap<String, T> next = new TreeMap<>(byId);
            next.put(id, item);
            return new Snapshot<>(next);
        }

        Snapshot<T> without(String id) {
            if (!byId.containsKey(id)) {
                return this;
            }
            TreeMap<String, T> next = new TreeMap<>(byId);
            next.remove(id);
            return new Snapshot<>(next);
        }
    }
}
