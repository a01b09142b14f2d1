package io.consilium.router.state;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The shared side of a {@link LocalCopy}: a keyed set of items in Redis (see {@link RefillableHash} for
 * how a lost set is noticed and refilled).
 */
public interface ReplicaSource<T> {

    Optional<T> find(String id);

    /** Every item. */
    List<T> findAll();

    /** The set's current generation; empty when Redis lost the set and nobody has refilled it yet. */
    Optional<String> generation();

    /**
     * When Redis lost the set since generation {@code seen} (or {@code seen} is empty: a copy that has
     * never looked), writes the held items back where absent, never one deleted on purpose since, and
     * returns the generation now current. While the generation is still {@code seen}, writes nothing.
     */
    String refill(String seen, Collection<T> held);
}
