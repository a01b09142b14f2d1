/** The skill taxonomy's admin API. */
@NullMarked
package io.consilium.router.taxonomy;

import org.jspecify.annotations.NullMarked;
