/** Implementations behind the registry's public interfaces; not an API. */
@NullMarked
package io.consilium.registry.internal;

import org.jspecify.annotations.NullMarked;
