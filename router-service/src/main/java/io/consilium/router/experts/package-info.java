/** Expert catalogue wiring, start-up bootstrap and the admin API for experts. */
@NullMarked
package io.consilium.router.experts;

import org.jspecify.annotations.NullMarked;
