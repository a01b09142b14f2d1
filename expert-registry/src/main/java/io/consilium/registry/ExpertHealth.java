package io.consilium.registry;

/** What the service currently knows about an expert's health. */
public enum ExpertHealth {
    /** Taking calls normally. */
    HEALTHY,
    /** Recent calls failed too often; trial calls are being let through. */
    RECOVERING,
    /** Calls are being rejected until the circuit lets trial calls through. */
    CIRCUIT_OPEN,
    /**
     * The upstream answered 429 and asked to wait: calls are refused here, as rate limited, until the wait
     * has passed. Its circuit is not touched; a rate limit is no fault.
     */
    RATE_LIMITED,
    /**
     * The last active check could not reach its endpoint ({@link Reachability}): it is not planned until a
     * check passes again. A call that names it still goes to it, and its circuit decides.
     */
    UNREACHABLE;

    /** Whether routing may choose the expert now. */
    public boolean takesCalls() {
        return this == HEALTHY || this == RECOVERING;
    }
}
