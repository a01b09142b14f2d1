/** Where shared state lives (memory or Redis) and how replicas hear about changes to it. */
@NullMarked
package io.consilium.router.state;

import org.jspecify.annotations.NullMarked;
