package io.consilium.registry.internal;

import io.consilium.registry.UpstreamHttpSettings;

/** Everything {@link AnthropicExpertClientTest} checks, the contract included, over Jetty's HTTP client. */
class AnthropicExpertClientOverJettyTest extends AnthropicExpertClientTest {

    @Override
    protected UpstreamHttpSettings.Client httpClient() {
        return UpstreamHttpSettings.Client.JETTY;
    }
}
