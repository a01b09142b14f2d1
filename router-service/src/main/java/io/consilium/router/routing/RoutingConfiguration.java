package io.consilium.router.routing;

import io.consilium.router.config.ConsiliumProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Turns the bound {@code consilium.routing.*} properties into the immutable routing configuration, once. */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    @Bean
    RoutingConfig routingConfig(ConsiliumProperties properties) {
        ConsiliumProperties.Routing routing = properties.routing();
        return RoutingConfig.custom()
                .defaultK(routing.defaultK())
                .maxK(routing.maxK())
                .dominance(routing.dominance())
                .confidentProbability(routing.confidentProbability())
                .reserves(routing.reserves())
                .deadline(routing.deadline())
                .expectedCompletionTokens(routing.expectedCompletionTokens())
                .build();
    }
}
