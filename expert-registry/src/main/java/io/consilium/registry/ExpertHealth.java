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
    RATE_LIMITED;

    /** Whether calls reach the expert now, so that routing may choose it. */
    public boolean takesCalls() {
        return this == HEALTHY || this == RECOVERING;
    }
}
