package io.consilium.router.state;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The bus of a single process (store {@code memory}): announcements reach this process's listeners at once. */
public final class LocalChangeBus implements ChangeBus {

    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();

    @Override
    public void publish(String topic, String id) {
        listeners.getOrDefault(topic, List.of()).forEach(listener -> listener.accept(id));
    }

    @Override
    public void subscribe(String topic, Consumer<String> listener) {
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
    }

    @Override
    public void onResync(Runnable listener) {
        // One process holds the only copy: nothing can be missed.
    }
}
