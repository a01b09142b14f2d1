package io.consilium.registry;

import java.util.List;
import java.util.Optional;

/**
 * Where expert definitions are kept. Implementations must be safe for concurrent use; every call is
 * atomic on its own. The in-memory store is the embedded default; shared stores (Redis) let several
 * replicas see the same catalogue.
 */
public interface ExpertStore {

    /** The expert with this id, if there is one. */
    Optional<Expert> find(String id);

    /** Every stored expert, ordered by id. */
    List<Expert> findAll();

    /** Stores the expert only if no expert has its id; returns whether it was stored. */
    boolean create(Expert expert);

    /** Replaces the expert with the same id only if one exists; returns whether it was replaced. */
    boolean update(Expert expert);

    /** Stores the expert, replacing any with the same id. */
    void put(Expert expert);

    /** Removes the expert with this id; returns whether there was one. */
    boolean delete(String id);
}
