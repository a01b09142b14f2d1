package io.consilium.profiler.internal;

import io.consilium.profiler.SkillTaxonomy;
import io.consilium.profiler.TaxonomyStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/** The embedded store: the changed taxonomy lives as long as the process. */
public final class InMemoryTaxonomyStore implements TaxonomyStore {

    private final AtomicReference<@Nullable SkillTaxonomy> stored = new AtomicReference<>();

    @Override
    public Optional<SkillTaxonomy> load() {
        return Optional.ofNullable(stored.get());
    }

    @Override
    public boolean compareAndSet(long expectedVersion, SkillTaxonomy next) {
        SkillTaxonomy current;
        do {
            current = stored.get();
            long currentVersion = current == null ? 0 : current.version();
            if (currentVersion != expectedVersion) {
                return false;
            }
        } while (!stored.compareAndSet(current, next));
        return true;
    }
}
