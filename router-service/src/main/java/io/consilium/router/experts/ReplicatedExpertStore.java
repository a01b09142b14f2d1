package io.consilium.router.experts;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertStore;
import io.consilium.router.state.ChangeBus;
import io.consilium.router.state.LocalCopy;
import io.consilium.router.state.StateUnavailableException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The expert store of a replica: lookups are answered from a {@link LocalCopy} (the chat path never
 * waits for Redis and survives its outage), writes go to Redis, are applied here and announced on
 * {@link ChangeBus#EXPERTS}; announcements from any replica reload that expert, a resync reloads all.
 * A write while Redis is unreachable throws {@link StateUnavailableException} and changes nothing; a write
 * after Redis lost its data refills it from this copy first.
 */
public final class ReplicatedExpertStore implements ExpertStore {

    private final RedisExpertStore shared;
    private final ChangeBus changes;
    private final LocalCopy<Expert> copy;

    /**
     * @param removedElsewhere told the id of an expert that another replica removed, to drop its client
     */
    public ReplicatedExpertStore(RedisExpertStore shared, ChangeBus changes, Consumer<String> removedElsewhere) {
        this.shared = shared;
        this.changes = changes;
        this.copy = new LocalCopy<>(shared, Expert::id, removedElsewhere);
        changes.subscribe(ChangeBus.EXPERTS, copy::reload);
        changes.onResync(copy::reloadAll);
    }

    @Override
    public Optional<Expert> find(String id) {
        return copy.get(id);
    }

    @Override
    public List<Expert> findAll() {
        return copy.all();
    }

    @Override
    public boolean create(Expert expert) {
        copy.beforeWrite();
        if (!shared.create(expert)) {
            return false;
        }
        changed(expert);
        return true;
    }

    @Override
    public boolean update(Expert expert) {
        copy.beforeWrite();
        if (!shared.update(expert)) {
            return false;
        }
        changed(expert);
        return true;
    }

    @Override
    public void put(Expert expert) {
        copy.beforeWrite();
        shared.put(expert);
        changed(expert);
    }

    @Override
    public boolean delete(String id) {
        copy.beforeWrite();
        boolean removed = shared.delete(id);
        copy.removed(id);
        changes.publish(ChangeBus.EXPERTS, id);
        return removed;
    }

    private void changed(Expert expert) {
        copy.stored(expert);
        changes.publish(ChangeBus.EXPERTS, expert.id());
    }
}
