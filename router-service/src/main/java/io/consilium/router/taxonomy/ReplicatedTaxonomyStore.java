package io.consilium.router.taxonomy;

import io.consilium.profiler.SkillTaxonomy;
import io.consilium.profiler.TaxonomyStore;
import io.consilium.router.state.ChangeBus;
import java.util.Optional;

/**
 * The taxonomy store of a replica: Redis, plus an announcement on {@link ChangeBus#TAXONOMY} after every
 * stored change. The local copy is the {@code TaxonomyService}'s current taxonomy; a
 * {@link TaxonomyFollower} brings it up to date when another replica changed it.
 *
 * <p>A change made on a taxonomy newer than the stored one is stored all the same: versions only grow,
 * so Redis lost data (see {@link TaxonomyFollower}), and the change carries everything before it.
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
        if (!shared.compareAndSet(expectedVersion, next) && !replacedLostData(expectedVersion, next)) {
            return false;
        }
        changes.publish(ChangeBus.TAXONOMY, Long.toString(next.version()));
        return true;
    }

    private boolean replacedLostData(long expectedVersion, SkillTaxonomy next) {
        long stored = shared.load().map(SkillTaxonomy::version).orElse(0L);
        return stored < expectedVersion && shared.compareAndSet(stored, next);
    }
}
