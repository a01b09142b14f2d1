package io.consilium.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * How remote experts are called over HTTP: which HTTP client carries the calls, how long connecting may
 * take and how many connections one upstream may hold. Whatever the client, calls use HTTP/1.1, never follow
 * redirects (a redirect could lead past the {@link EgressPolicy}), reuse connections, end at the expert's
 * timeout and stop when the calling thread is interrupted. Immutable; build with {@link #custom()}.
 */
public final class UpstreamHttpSettings {

    /** The HTTP client implementations an upstream call can go through. */
    public enum Client {
        /** The JDK's {@code java.net.http.HttpClient}. */
        JDK,
        /** Eclipse Jetty's {@code HttpClient}. */
        JETTY
    }

    private final Client client;
    private final Duration connectTimeout;
    private final int maxConnectionsPerUpstream;

    private UpstreamHttpSettings(Builder b) {
        this.client = b.client;
        this.connectTimeout = b.connectTimeout;
        this.maxConnectionsPerUpstream = b.maxConnectionsPerUpstream;
    }

    /** The JDK client, 5 s to connect, up to 256 connections per upstream. */
    public static UpstreamHttpSettings ofDefaults() {
        return custom().build();
    }

    public static Builder custom() {
        return new Builder();
    }

    /** A builder holding these values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder()
                .client(client)
                .connectTimeout(connectTimeout)
                .maxConnectionsPerUpstream(maxConnectionsPerUpstream);
    }

    /** The HTTP client that carries every remote expert's calls. */
    public Client client() {
        return client;
    }

    /** How long opening a connection may take; the expert's timeout bounds the whole call as well. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The most connections open at once to one upstream (scheme, host and port); further calls wait for one
     * to come free. Only the Jetty client has such a bound: the JDK client opens as many as calls need.
     */
    public int maxConnectionsPerUpstream() {
        return maxConnectionsPerUpstream;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UpstreamHttpSettings that && client == that.client
                && connectTimeout.equals(that.connectTimeout) && maxConnectionsPerUpstream == that.maxConnectionsPerUpstream;
    }

    @Override
    public int hashCode() {
        return Objects.hash(client, connectTimeout, maxConnectionsPerUpstream);
    }

    @Override
    public String toString() {
        return "UpstreamHttpSettings[client=" + client + ", connectTimeout=" + connectTimeout
                + ", maxConnectionsPerUpstream=" + maxConnectionsPerUpstream + "]";
    }

    /** Validating builder; every setter rejects a bad value with a message that names it. */
    public static final class Builder {

        private Client client = Client.JDK;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int maxConnectionsPerUpstream = 256;

        private Builder() {}

        public Builder client(Client client) {
            if (client == null) {
                throw new IllegalArgumentException("client must be one of jdk, jetty, but was null");
            }
            this.client = client;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, but was " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        public Builder maxConnectionsPerUpstream(int connections) {
            if (connections < 1 || connections > 65_536) {
                throw new IllegalArgumentException(
                        "maxConnectionsPerUpstream must be between 1 and 65536, but was " + connections);
            }
            this.maxConnectionsPerUpstream = connections;
            return this;
        }

        public UpstreamHttpSettings build() {
            return new UpstreamHttpSettings(this);
        }
    }
}
