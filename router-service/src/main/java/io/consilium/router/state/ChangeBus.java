package io.consilium.router.state;

import java.util.function.Consumer;

/**
 * Tells every replica, this one included, that a piece of shared state changed, so that local copies
 * are refreshed instead of shared state being read on every request. Topics are fixed names
 * ({@link #EXPERTS}, …); the payload is the id of what changed.
 */
public interface ChangeBus {

    String EXPERTS = "experts";
    String TAXONOMY = "taxonomy";
    String PROFILES = "profiles";
    String KEYS = "keys";

    /** Announces a change; never throws (a lost announcement is repaired by the next resync). */
    void publish(String topic, String id);

    /** Calls the listener with the id of every change announced on the topic, by any replica. */
    void subscribe(String topic, Consumer<String> listener);

    /**
     * Calls the listener when announcements may have been missed (the bus reconnected, or the periodic
     * resync is due): local copies should then be reloaded in full.
     */
    void onResync(Runnable listener);
}
