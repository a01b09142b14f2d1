package io.consilium.registry.internal;

import io.consilium.registry.UpstreamHttpSettings;

/** The {@link UpstreamTransportContract} over Jetty's HTTP client. */
class JettyUpstreamTransportTest extends UpstreamTransportContract {

    @Override
    protected UpstreamHttpSettings.Client httpClient() {
        return UpstreamHttpSettings.Client.JETTY;
    }
}
