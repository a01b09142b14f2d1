package io.consilium.router.state;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus shared by replicas: one Redis pub/sub channel ({@value #CHANNEL}) carrying {@code topic:id}
 * messages, received on a connection of its own (a subscribed connection can send nothing else).
 *
 * <p>Listeners never run on Lettuce's I/O threads, where a blocking Redis call would stall every
 * connection: each topic has its own serial thread, so changes to one kind of state are applied in
 * order and a slow listener (the taxonomy retrains the classifier) does not hold up another topic.
 *
 * <p>Resync listeners run when announcements may have been missed: shortly after any connection of the
 * client reconnects, every {@code resyncInterval}, and again soon after a listener failed because
 * Redis was unreachable. Failures are logged once per outage.
 */
public final class RedisChangeBus implements ChangeBus, AutoCloseable {

    /** The pub/sub channel every replica subscribes to. */
    public static final String CHANNEL = "consilium:changes";
    private static final char SEPARATOR = ':';
    /** Lets a reconnected connection finish its handshake before the reload uses it. */
    private static final Duration AFTER_RECONNECT = Duration.ofMillis(100);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(RedisChangeBus.class);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> subscription;
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private final Map<String, ExecutorService> topicThreads = new ConcurrentHashMap<>();
    private final List<Runnable> resyncListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService resyncThread;
    private final AtomicBoolean resyncPending = new AtomicBoolean();
    private volatile boolean closed;
    private final OutageLog outage = new OutageLog(log, "replicas serve their local copies and refuse changes");
    private final Duration retry;
    private final RedisConnectionStateListener reconnects = new RedisConnectionStateListener() {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            requestResync(AFTER_RECONNECT);
        }
    };

    /**
     * Subscribes at once; fails with {@link StateUnavailableException} when Redis cannot be reached.
     *
     * @param commands the shared command connection, which sends the announcements
     */
    public RedisChangeBus(RedisClient client, StatefulRedisConnection<String, String> commands, Duration resyncInterval) {
        if (resyncInterval.isNegative() || resyncInterval.isZero()) {
            throw new IllegalArgumentException("consilium.redis.resync-interval must be positive, but was " + resyncInterval);
        }
        this.client = client;
        this.commands = commands;
        this.retry = RETRY.compareTo(resyncInterval) < 0 ? RETRY : resyncInterval;
        try {
            this.subscription = client.connectPubSub();
        } catch (RedisException e) {
            throw new StateUnavailableException("subscribe to " + CHANNEL, e);
        }
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                received(message);
            }
        });
        try {
            subscription.sync().subscribe(CHANNEL);
        } catch (RedisException e) {
            subscription.close();
            throw new StateUnavailableException("subscribe to " + CHANNEL, e);
        }
        this.resyncThread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("consilium-resync").factory());
        resyncThread.scheduleWithFixedDelay(this::resync, resyncInterval.toMillis(), resyncInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        client.addListener(reconnects);
    }

    @Override
    public void publish(String topic, String id) {
        String message = topic + SEPARATOR + id;
        try {
            commands.async().publish(CHANNEL, message).whenComplete((receivers, error) -> {
                if (error != null) {
                    outage.failed(new StateUnavailableException("announce a change of " + topic, error));
                }
            });
        } catch (RedisException e) {
            outage.failed(new StateUnavailableException("announce a change of " + topic, e));
        }
    }

    @Override
    public void subscribe(String topic, Consumer<String> listener) {
        if (topic.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("a topic must not contain '" + SEPARATOR + "', but was '" + topic + "'");
        }
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
    }

    @Override
    public void onResync(Runnable listener) {
        resyncListeners.add(listener);
    }

    /** Runs every resync listener soon, once, however often it is asked for meanwhile. */
    public void requestResync(Duration delay) {
        if (resyncPending.compareAndSet(false, true)) {
            try {
                resyncThread.schedule(() -> {
                    resyncPending.set(false);
                    resync();
                }, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                resyncPending.set(false);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        client.removeListener(reconnects);
        resyncThread.shutdownNow();
        topicThreads.values().forEach(ExecutorService::shutdownNow);
        subscription.close();
    }

    private void received(String message) {
        int separator = message.indexOf(SEPARATOR);
        if (separator <= 0) {
            return; // not ours
        }
        String topic = message.substring(0, separator);
        String id = message.substring(separator + 1);
        List<Consumer<String>> subscribed = listeners.getOrDefault(topic, List.of());
        if (subscribed.isEmpty() || closed) {
            return;
        }
        ExecutorService thread = topicThreads.computeIfAbsent(topic, t -> Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("consilium-changes-" + t).factory()));
        try {
            thread.execute(() -> subscribed.forEach(listener -> deliver(listener, id)));
        } catch (RejectedExecutionException closing) {
            // shutting down
        }
    }

    private void deliver(Consumer<String> listener, String id) {
        try {
            listener.accept(id);
        } catch (RuntimeException e) {
            if (outage.failed(e)) {
                requestResync(retry);
            }
        }
    }

    private void resync() {
        boolean failed = false;
        for (Runnable listener : resyncListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                failed |= outage.failed(e);
            }
        }
        if (failed) {
            requestResync(retry);
        } else {
            outage.recovered();
        }
    }
}
