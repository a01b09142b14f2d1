package io.consilium.router.taxonomy;

import io.consilium.profiler.SkillTaxonomy;
import io.consilium.profiler.TaxonomyService;
import io.consilium.profiler.TaxonomyStore;
import io.consilium.router.state.ChangeBus;

/**
 * Keeps this replica's taxonomy up to date: reloads it when any replica announces a change and on every
 * resync. If Redis lost the taxonomy (restarted empty, flushed, or refilled by a replica that held an older
 * version) while this replica holds a newer one, the resync writes this replica's taxonomy back first.
 * Versions only grow and the taxonomy cannot be deleted through the API, so a stored version below the
 * one held here can only mean lost data; the highest version any replica holds wins.
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
        long stored = shared.load().map(SkillTaxonomy::version).orElse(0L);
        if (held.version() > stored) {
            shared.compareAndSet(stored, held);
        }
        taxonomy.reload();
    }
}
