/** Configuration properties, converted once into the libraries' immutable settings. */
@NullMarked
package io.consilium.router.config;

import org.jspecify.annotations.NullMarked;
