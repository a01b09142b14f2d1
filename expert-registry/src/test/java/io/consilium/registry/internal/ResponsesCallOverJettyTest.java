package io.consilium.registry.internal;

import io.consilium.registry.UpstreamHttpSettings;

/** Everything {@link ResponsesCallTest} checks, over Jetty's HTTP client. */
class ResponsesCallOverJettyTest extends ResponsesCallTest {

    @Override
    protected UpstreamHttpSettings.Client httpClient() {
        return UpstreamHttpSettings.Client.JETTY;
    }
}
