/** Implementations behind the aggregator's public types; not an API. */
@NullMarked
package io.consilium.aggregator.internal;

import org.jspecify.annotations.NullMarked;
