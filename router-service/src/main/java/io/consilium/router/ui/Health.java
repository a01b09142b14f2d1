package io.consilium.router.ui;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;

/** An expert's state as a badge: its label, a CSS class and a sentence for its title. */
record Health(String label, String css, String explanation) {

    static Health of(Expert expert, ExpertRegistry registry) {
        if (!expert.enabled()) {
            return new Health("disabled", "muted", "Takes no traffic until enabled again.");
        }
        return switch (registry.health(expert.id())) {
            case HEALTHY -> new Health("healthy", "ok", "Taking calls normally.");
            case RECOVERING -> new Health("recovering", "warn",
                    "Recent calls failed too often; trial calls are let through to see if it is back.");
            case CIRCUIT_OPEN -> new Health("circuit open", "bad",
                    "Recent calls failed too often: calls are refused for a while and routing skips it.");
            case RATE_LIMITED -> new Health("rate limited", "warn",
                    "Its upstream answered 429 and asked to wait: calls are refused until then and routing skips it.");
            case UNREACHABLE -> new Health("unreachable", "bad", "The last health check failed ("
                    + registry.lastCheck(expert.id()).map(check -> check.problem()).orElse("unknown")
                    + "): routing skips it until a check passes.");
        };
    }
}
