package io.consilium.router.state;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The shared side of a {@link LocalCopy}: a keyed set of items in Redis. */
interface ReplicaSource<T> {

    Optional<T> find(String id);

    /** Every item, ordered by id. */
    List<T> findAll();

    /**
     * When Redis lost this set since it was last marked (a restart without persistence), writes the
     * given items back where absent and marks the set again; returns whether it did. A set whose every
     * item was deleted on purpose is still marked, so deletions are never undone.
     */
    boolean restoreIfLost(Collection<T> items);
}
