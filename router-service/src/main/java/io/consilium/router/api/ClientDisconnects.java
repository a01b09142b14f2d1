package io.consilium.router.api;

import io.consilium.router.config.ConsiliumProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Watches the connections of requests that wait on experts, so that a client who hangs up stops the
 * work done for it. A watched request's thread is interrupted when its client is gone; expert calls
 * treat that interrupt as "stop". One probe thread serves every request, and a request that ends
 * within the check interval is never probed at all.
 */
@Component
public final class ClientDisconnects implements DisposableBean {

    private final Duration interval;
    private final ScheduledThreadPoolExecutor probes;

    ClientDisconnects(ConsiliumProperties properties) {
        this.interval = properties.api().disconnectCheckInterval();
        this.probes = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("client-disconnect-probe").factory());
        probes.setRemoveOnCancelPolicy(true);
    }

    /** Starts watching the request's client on behalf of the calling (request) thread. */
    public Watch watch(HttpServletRequest request) {
        ClientConnection connection = TomcatClientConnections.of(request);
        if (interval.isZero() || connection == ClientConnection.UNOBSERVABLE) {
            return new Watch(connection, Thread.currentThread());
        }
        Watch watch = new Watch(connection, Thread.currentThread());
        watch.probe = probes.scheduleWithFixedDelay(watch::check, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return watch;
    }

    @Override
    public void destroy() {
        probes.shutdownNow();
    }

    /** One request's watch; close it before the request's thread goes back to the server. */
    public static final class Watch implements AutoCloseable {

        private final ClientConnection connection;
        private final Thread requestThread;
        private @Nullable ScheduledFuture<?> probe;
        private boolean closed;
        private boolean clientLeft;

        private Watch(ClientConnection connection, Thread requestThread) {
            this.connection = connection;
            this.requestThread = requestThread;
        }

        private synchronized void check() {
            if (closed || clientLeft) {
                return;
            }
            if (connection.isClosedByClient()) {
                clientLeft = true;
                requestThread.interrupt();
                if (probe != null) {
                    probe.cancel(false);
                }
            }
        }

        /** True when the client hung up while the request was being worked on. */
        public synchronized boolean clientLeft() {
            return clientLeft;
        }

        /**
         * Stops probing (and waits for a probe in progress, which holds this lock), and clears the
         * interrupt this watch caused so the server's thread is not handed back interrupted.
         */
        @Override
        public synchronized void close() {
            closed = true;
            if (probe != null) {
                probe.cancel(false);
            }
            if (clientLeft && Thread.currentThread() == requestThread) {
                Thread.interrupted();
            }
        }
    }
}
