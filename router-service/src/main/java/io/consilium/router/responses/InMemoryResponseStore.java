package io.consilium.router.responses;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;

/** {@link ResponseStore} in this process, bounded in count and expiring. */
final class InMemoryResponseStore implements ResponseStore {

    private final Cache<String, StoredResponse> responses;

    InMemoryResponseStore(Duration retention, long maxStored) {
        this.responses = Caffeine.newBuilder().expireAfterWrite(retention).maximumSize(maxStored).build();
    }

    @Override
    public void put(StoredResponse response) {
        responses.put(response.id(), response);
    }

    @Override
    public Optional<StoredResponse> find(String id) {
        return Optional.ofNullable(responses.getIfPresent(id));
    }

    @Override
    public boolean delete(String id) {
        return responses.asMap().remove(id) != null;
    }
}
