/** Fixtures for the service's tests. */
@NullMarked
package io.consilium.router.testing;

import org.jspecify.annotations.NullMarked;
