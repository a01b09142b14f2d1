/**
 * Fusion of expert answers, end to end: reading final answers, the consensus short-circuit, the weighted
 * vote, the best expert, synthesis by the aggregator model through its client (streamed or not), and the
 * vote when the aggregator fails. {@link io.consilium.aggregator.Fuser} is the entry point.
 */
@NullMarked
package io.consilium.aggregator;

import org.jspecify.annotations.NullMarked;
