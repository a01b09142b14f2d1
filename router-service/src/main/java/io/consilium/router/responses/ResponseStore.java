package io.consilium.router.responses;

import java.time.Duration;
import java.util.Optional;

/** Where stored responses are kept until they expire: in this process or in Redis. */
interface ResponseStore {

    void put(StoredResponse response);

    Optional<StoredResponse> find(String id);

    /** @return whether there was such a response */
    boolean delete(String id);

    /** In this process: at most {@code maxStored} responses (the oldest go first), each for {@code retention}. */
    static ResponseStore inMemory(Duration retention, long maxStored) {
        return new InMemoryResponseStore(retention, maxStored);
    }
}
