/** Remembered completions and {@code POST /v1/feedback}, which turns user scores into profile evidence. */
@NullMarked
package io.consilium.router.feedback;

import org.jspecify.annotations.NullMarked;
