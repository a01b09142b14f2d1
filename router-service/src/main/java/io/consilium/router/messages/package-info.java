/**
 * The Anthropic Messages endpoint: requests translated into chat requests, answered by the chat core (an
 * expert by id, {@code consilium/route}, fusion) and translated back, whole or as Anthropic's event stream.
 */
@NullMarked
package io.consilium.router.messages;

import org.jspecify.annotations.NullMarked;
