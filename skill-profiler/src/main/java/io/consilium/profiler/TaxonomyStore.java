package io.consilium.profiler;

import java.util.Optional;

/**
 * Where a changed taxonomy is kept so that changes outlive a restart and reach other replicas.
 * Writes are compare-and-set on the version, so two admins cannot silently overwrite each other.
 */
public interface TaxonomyStore {

    /** The stored taxonomy, or empty when it was never changed from the defaults. */
    Optional<SkillTaxonomy> load();

    /**
     * Stores {@code next} if the stored version is still {@code expectedVersion} (0 when nothing is
     * stored yet); returns whether it was stored.
     */
    boolean compareAndSet(long expectedVersion, SkillTaxonomy next);
}
