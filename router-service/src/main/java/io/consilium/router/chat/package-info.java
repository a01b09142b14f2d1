/** The chat completions endpoint. */
@NullMarked
package io.consilium.router.chat;

import org.jspecify.annotations.NullMarked;
