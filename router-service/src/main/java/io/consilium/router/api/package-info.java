/** Cross-cutting HTTP concerns: OpenAI-shaped errors and request limits. */
@NullMarked
package io.consilium.router.api;

import org.jspecify.annotations.NullMarked;
