package io.consilium.router.reliability;

import java.time.Duration;

/** Settings shared by the fault tests. */
final class FaultFixture {

    /** Short, so that hanging and late upstreams cost little test time. */
    static final Duration EXPERT_TIMEOUT = Duration.ofMillis(1500);

    private FaultFixture() {}
}
