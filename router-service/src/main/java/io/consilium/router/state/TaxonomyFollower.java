package io.consilium.router.state;

import io.consilium.profiler.SkillTaxonomy;
import io.consilium.profiler.TaxonomyService;
import io.consilium.profiler.TaxonomyStore;

/**
 * Keeps this replica's taxonomy up to date: reloads it when any replica announces a change and on every
 * resync. If Redis lost the taxonomy (restarted empty) while this replica holds a changed one, the
 * resync writes it back first, only if Redis still has none; the taxonomy cannot be deleted through the
 * API, so an absent one after a change can only mean lost data.
 */
public final class TaxonomyFollower {

    private final TaxonomyService taxonomy;
    private final TaxonomyStore shared;

    /** @param shared the store without announcements: restoring lost data is not a change */
    public TaxonomyFollower(TaxonomyService taxonomy, TaxonomyStore shared, ChangeBus changes) {
        this.taxonomy = taxonomy;
        this.shared = shared;
        changes.subscribe(ChangeBus.TAXONOMY, version -> taxonomy.reload());
        changes.onResync(this::resync);
    }

    void resync() {
        SkillTaxonomy held = taxonomy.current();
        if (held.version() > 0 && shared.load().isEmpty()) {
            shared.compareAndSet(0, held);
        }
        taxonomy.reload();
    }
}
