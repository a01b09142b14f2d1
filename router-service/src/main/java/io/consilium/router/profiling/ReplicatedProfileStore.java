package io.consilium.router.profiling;

import io.consilium.profiler.ExpertProfile;
import io.consilium.profiler.ProfileStore;
import io.consilium.router.state.ChangeBus;
import io.consilium.router.state.LocalCopy;
import io.consilium.router.state.StateUnavailableException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The profile store of a replica: routing reads profiles from a {@link LocalCopy}; updates (profiling,
 * feedback) are atomic in Redis, applied here and announced on {@link ChangeBus#PROFILES}, and every
 * replica reloads the announced profile. An update while Redis is unreachable throws
 * {@link StateUnavailableException}; an update after Redis lost its data refills it from this copy first,
 * so that the profile is not counted again from zero.
 */
public final class ReplicatedProfileStore implements ProfileStore {

    private final RedisProfileStore shared;
    private final ChangeBus changes;
    private final LocalCopy<ExpertProfile> copy;

    public ReplicatedProfileStore(RedisProfileStore shared, ChangeBus changes) {
        this.shared = shared;
        this.changes = changes;
        this.copy = new LocalCopy<>(shared, ExpertProfile::expertId, id -> {});
        changes.subscribe(ChangeBus.PROFILES, copy::reload);
        changes.onResync(copy::reloadAll);
    }

    @Override
    public Optional<ExpertProfile> find(String expertId) {
        return copy.get(expertId);
    }

    @Override
    public List<ExpertProfile> findAll() {
        return copy.all();
    }

    @Override
    public ExpertProfile update(String expertId, UnaryOperator<ExpertProfile> change) {
        copy.beforeWrite();
        ExpertProfile stored = shared.update(expertId, change);
        copy.stored(stored);
        changes.publish(ChangeBus.PROFILES, expertId);
        return stored;
    }

    @Override
    public void delete(String expertId) {
        copy.beforeWrite();
        shared.delete(expertId);
        copy.removed(expertId);
        changes.publish(ChangeBus.PROFILES, expertId);
    }
}
