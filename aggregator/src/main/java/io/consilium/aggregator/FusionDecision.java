package io.consilium.aggregator;

/**
 * What {@link Fuser#decide} found: either the fusion is done, or the aggregator has to write the answer.
 * Deciding calls no model, so a caller can decide many requests first and run their syntheses together.
 */
public sealed interface FusionDecision permits FusionResult, PendingSynthesis {}
