/** Wiring of the aggregator module's {@link io.consilium.aggregator.Fuser}, shared by chat, batches and profiling. */
@NullMarked
package io.consilium.router.fusion;

import org.jspecify.annotations.NullMarked;
