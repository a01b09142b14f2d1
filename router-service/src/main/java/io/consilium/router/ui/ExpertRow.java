package io.consilium.router.ui;

import io.consilium.registry.Expert;
import io.consilium.registry.Role;
import java.util.List;

/** One expert in the experts table. */
record ExpertRow(String id, String provider, String model, String endpoint, List<String> roles, List<String> skills,
        Health health, boolean enabled, boolean hasApiKey, long recentCalls, String recentErrorRate, String p50,
        String prices) {

    static ExpertRow of(Expert expert, Health health, CallStatistics.ExpertTally recent) {
        String model = expert.model() != null ? expert.model() : expert.provider().isRemote() ? "" : "(built in)";
        String endpoint = expert.baseUrl() != null ? expert.baseUrl().toString()
                : expert.modelPath() != null ? expert.modelPath() : "";
        return new ExpertRow(expert.id(), expert.provider().id(), model, endpoint,
                expert.roles().stream().sorted().map(Role::id).toList(), expert.skills(), health, expert.enabled(),
                expert.apiKey() != null, recent.calls(), Figures.share(recent.errorRate()), Figures.latency(recent.p50()),
                Figures.price(expert.cost().inputPerMtok()) + " / " + Figures.price(expert.cost().outputPerMtok()));
    }
}
