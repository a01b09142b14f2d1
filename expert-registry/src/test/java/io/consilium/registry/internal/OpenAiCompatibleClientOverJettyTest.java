package io.consilium.registry.internal;

import io.consilium.registry.UpstreamHttpSettings;

/** Everything {@link OpenAiCompatibleClientTest} checks, the contract included, over Jetty's HTTP client. */
class OpenAiCompatibleClientOverJettyTest extends OpenAiCompatibleClientTest {

    @Override
    protected UpstreamHttpSettings.Client httpClient() {
        return UpstreamHttpSettings.Client.JETTY;
    }
}
