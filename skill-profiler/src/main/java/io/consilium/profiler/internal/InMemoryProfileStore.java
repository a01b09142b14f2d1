package io.consilium.profiler.internal;

import io.consilium.profiler.ExpertProfile;
import io.consilium.profiler.ProfileStore;
import io.consilium.profiler.ProfileVersioning;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;

/** The embedded profile store: a sorted concurrent map; updates are atomic per expert. */
public final class InMemoryProfileStore implements ProfileStore {

    private final ConcurrentSkipListMap<String, ExpertProfile> profiles = new ConcurrentSkipListMap<>();
    private final Clock clock;

    public InMemoryProfileStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<ExpertProfile> find(String expertId) {
        return Optional.ofNullable(profiles.get(expertId));
    }

    @Override
    public List<ExpertProfile> findAll() {
        return List.copyOf(profiles.values());
    }

    @Override
    public ExpertProfile update(String expertId, UnaryOperator<ExpertProfile> change) {
        return profiles.compute(expertId, (id, current) -> {
            ExpertProfile base = current != null ? current : ExpertProfile.empty(id);
            return ProfileVersioning.next(base, change.apply(base), clock.instant());
        });
    }

    @Override
    public void delete(String expertId) {
        profiles.remove(expertId);
    }
}
