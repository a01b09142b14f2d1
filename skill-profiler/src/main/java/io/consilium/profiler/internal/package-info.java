/** Implementations behind the profiler's public types; not an API. */
@NullMarked
package io.consilium.profiler.internal;

import org.jspecify.annotations.NullMarked;
