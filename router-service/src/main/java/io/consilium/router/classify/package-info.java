/** Query classification: the classifier wiring and {@code POST /v1/classify}. */
@NullMarked
package io.consilium.router.classify;

import org.jspecify.annotations.NullMarked;
