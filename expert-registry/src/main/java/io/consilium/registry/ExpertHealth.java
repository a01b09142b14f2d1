package io.consilium.registry;

/** What the service currently knows about an expert's health. */
public enum ExpertHealth {
    /** Taking calls normally. */
    HEALTHY,
    /** Recent calls failed too often; trial calls are being let through. */
    RECOVERING,
    /** Calls are being rejected until the circuit lets trial calls through. */
    CIRCUIT_OPEN
}
