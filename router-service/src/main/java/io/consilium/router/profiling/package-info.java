/** Expert profiles and profiling jobs: wiring and the admin API. */
@NullMarked
package io.consilium.router.profiling;

import org.jspecify.annotations.NullMarked;
