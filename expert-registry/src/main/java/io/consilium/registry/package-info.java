/**
 * The catalogue of experts and how to call them: expert definitions and their validation, the
 * {@link io.consilium.registry.ExpertStore}, resilient {@link io.consilium.registry.ExpertClient}s
 * per provider, and the exceptions that tell whether a retry can help.
 */
@NullMarked
package io.consilium.registry;

import org.jspecify.annotations.NullMarked;
