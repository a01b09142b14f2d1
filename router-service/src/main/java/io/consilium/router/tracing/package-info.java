/**
 * Traces: when an OTLP endpoint is configured, the walk of each request (classification, planning, every
 * expert attempt, fusion) is observed and exported through Micrometer Tracing's OpenTelemetry bridge; upstream
 * requests always carry the trace context, so a client's trace goes on into the model servers.
 */
@NullMarked
package io.consilium.router.tracing;

import org.jspecify.annotations.NullMarked;
