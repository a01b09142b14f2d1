/** Routing: request options, candidate experts, the Symbolic-MoE, CoE and cost policies, and plans. */
@NullMarked
package io.consilium.router.routing;

import org.jspecify.annotations.NullMarked;
