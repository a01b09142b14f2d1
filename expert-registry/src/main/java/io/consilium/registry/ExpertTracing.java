package io.consilium.registry;

import io.micrometer.observation.ObservationRegistry;
import java.util.function.BiConsumer;

/**
 * How expert calls join a trace. Every attempt at a call (each retry, each reserve) is one observation on
 * {@link #observations()}, and every upstream HTTP request carries the trace context current where it is sent
 * ({@link #addTraceHeaders}), so a trace goes on into the model server. {@link #none()} observes nothing and
 * adds no header.
 */
public interface ExpertTracing {

    /** Where attempts are observed; {@link ObservationRegistry#NOOP} when attempts are not traced. */
    ObservationRegistry observations();

    /**
     * Whether attempt observations may hold the messages sent and the answers received. Off unless switched
     * on explicitly: prompts and completions are the callers' data.
     */
    boolean capturesContent();

    /** Gives the headers that carry the current trace context (W3C {@code traceparent}…); none when there is none. */
    void addTraceHeaders(BiConsumer<String, String> header);

    /** No observation, no header. */
    static ExpertTracing none() {
        return Untraced.INSTANCE;
    }

    /** The tracing of {@link #none()}. */
    enum Untraced implements ExpertTracing {
        INSTANCE;

        @Override
        public ObservationRegistry observations() {
            return ObservationRegistry.NOOP;
        }

        @Override
        public boolean capturesContent() {
            return false;
        }

        @Override
        public void addTraceHeaders(BiConsumer<String, String> header) {}
    }
}
