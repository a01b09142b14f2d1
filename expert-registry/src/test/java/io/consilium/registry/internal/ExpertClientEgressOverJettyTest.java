package io.consilium.registry.internal;

import io.consilium.registry.UpstreamHttpSettings;

/** Everything {@link ExpertClientEgressTest} checks, redirects included, over Jetty's HTTP client. */
class ExpertClientEgressOverJettyTest extends ExpertClientEgressTest {

    @Override
    protected UpstreamHttpSettings.Client httpClient() {
        return UpstreamHttpSettings.Client.JETTY;
    }
}
