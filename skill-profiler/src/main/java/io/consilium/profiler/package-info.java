/** Skill taxonomy, query classification and expert skill profiles. */
@NullMarked
package io.consilium.profiler;

import org.jspecify.annotations.NullMarked;
