package io.consilium.aggregator;

import io.consilium.registry.CallOutcome;

/**
 * An expert that was asked and gave no answer.
 *
 * @param expertId who was asked
 * @param outcome why no answer came
 */
public record Unanswered(String expertId, CallOutcome outcome) {}
