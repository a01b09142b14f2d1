package io.consilium.router.state;

import io.consilium.profiler.SkillTaxonomy;
import io.consilium.profiler.TaxonomyStore;
import java.util.Optional;

/**
 * The taxonomy store of a replica: Redis, plus an announcement on {@link ChangeBus#TAXONOMY} after every
 * stored change. The local copy is the {@code TaxonomyService}'s current taxonomy; a
 * {@link TaxonomyFollower} brings it up to date when another replica changed it.
 */
public final class ReplicatedTaxonomyStore implements TaxonomyStore {

    private final TaxonomyStore shared;
    private final ChangeBus changes;

    public ReplicatedTaxonomyStore(TaxonomyStore shared, ChangeBus changes) {
        this.shared = shared;
        this.changes = changes;
    }

    @Override
    public Optional<SkillTaxonomy> load() {
        return shared.load();
    }

    @Override
    public boolean compareAndSet(long expectedVersion, SkillTaxonomy next) {
        if (!shared.compareAndSet(expectedVersion, next)) {
            return false;
        }
        changes.publish(ChangeBus.TAXONOMY, Long.toString(next.version()));
        return true;
    }
}
