package io.consilium.registry.internal;

import io.consilium.registry.UpstreamHttpSettings;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * The HTTP exchange under every remote expert call, so that the HTTP client can be chosen
 * ({@link UpstreamHttpSettings.Client}). Every implementation speaks HTTP/1.1, never follows redirects (a
 * redirect could lead past the egress policy, with the API key), reuses connections, fails a call whose
 * {@link UpstreamRequest#timeout()} passes with an {@link UpstreamTimeoutException}, and abandons the exchange
 * when the calling thread is interrupted.
 */
interface UpstreamTransport extends AutoCloseable {

    /**
     * Sends the request and returns once the answer's status and headers have arrived; its body is read as it
     * comes. The caller must close the answer: closing it before the body's end drops the connection.
     *
     * @throws UpstreamTimeoutException if no answer came within the request's timeout
     * @throws IOException if the exchange failed
     * @throws InterruptedException if the calling thread was interrupted; the exchange has been abandoned
     */
    UpstreamResponse open(UpstreamRequest request) throws IOException, InterruptedException;

    /**
     * Sends the request and returns once the whole answer has arrived, its body held in memory.
     *
     * @param maxBytes the longest body accepted; a longer one fails the call with an {@link AnswerTooLargeException}
     * @throws UpstreamTimeoutException if the whole answer did not come within the request's timeout
     * @throws IOException if the exchange failed
     * @throws InterruptedException if the calling thread was interrupted; the exchange has been abandoned
     */
    UpstreamResponse fetch(UpstreamRequest request, int maxBytes) throws IOException, InterruptedException;

    /**
     * Gives the headers that carry the calling thread's trace context, for a request that another thread will
     * send (they are added to every request sent otherwise); none by default.
     */
    default void addTraceHeaders(BiConsumer<String, String> header) {}

    /** Drops every connection; calls in flight fail. */
    @Override
    void close();

    /**
     * The transport the settings name.
     *
     * @param callbacks runs the JDK client's own work; the Jetty client keeps a small pool of its own
     */
    static UpstreamTransport of(UpstreamHttpSettings settings, Executor callbacks) {
        return switch (settings.client()) {
            case JDK -> new JdkUpstreamTransport(settings.connectTimeout(), callbacks);
            case JETTY -> new JettyUpstreamTransport(settings.connectTimeout(), settings.maxConnectionsPerUpstream());
        };
    }
}
