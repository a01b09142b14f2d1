/** Fusion of expert answers: LLM synthesis, weighted vote, consensus short-circuit. */
@NullMarked
package io.consilium.aggregator;

import org.jspecify.annotations.NullMarked;
