package io.consilium.aggregator;

/**
 * An expert that was asked and gave no answer.
 *
 * @param expertId who was asked
 * @param outcome why no answer came, as the caller names call outcomes
 */
public record Unanswered(String expertId, String outcome) {}
