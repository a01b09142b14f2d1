package io.consilium.registry.internal;

import io.consilium.registry.UpstreamHttpSettings;

/** The {@link UpstreamTransportContract} over the JDK's HTTP client. */
class JdkUpstreamTransportTest extends UpstreamTransportContract {

    @Override
    protected UpstreamHttpSettings.Client httpClient() {
        return UpstreamHttpSettings.Client.JDK;
    }
}
