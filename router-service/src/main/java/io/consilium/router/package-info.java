/** The Consilium service: HTTP API, routing and operations glue. */
@NullMarked
package io.consilium.router;

import org.jspecify.annotations.NullMarked;
