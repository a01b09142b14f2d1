package io.consilium.registry.internal;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** The embedded store: a sorted concurrent map that lives as long as the process. */
public final class InMemoryExpertStore implements ExpertStore {

    private final ConcurrentSkipListMap<String, Expert> experts = new ConcurrentSkipListMap<>();

    @Override
    public Optional<Expert> find(String id) {
        return Optional.ofNullable(experts.get(id));
    }

    @Override
    public List<Expert> findAll() {
        return List.copyOf(experts.values());
    }

    @Override
    public boolean create(Expert expert) {
        return experts.putIfAbsent(expert.id(), expert) == null;
    }

    @Override
    public boolean update(Expert expert) {
        return experts.replace(expert.id(), expert) != null;
    }

    @Override
    public void put(Expert expert) {
        experts.put(expert.id(), expert);
    }

    @Override
    public boolean delete(String id) {
        return experts.remove(id) != null;
    }
}
