package io.consilium.router.tracing;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Consilium's own tracing settings; the rest are Spring Boot's ({@code management.tracing.*},
 * {@code management.opentelemetry.*}).
 *
 * @param captureContent whether expert attempt spans hold the messages sent and the answers received
 *     ({@code gen_ai.input.messages}, {@code gen_ai.output.messages}); off by default, since prompts and
 *     completions are the callers' data
 */
@ConfigurationProperties("consilium.tracing")
public record TracingProperties(boolean captureContent) {}
