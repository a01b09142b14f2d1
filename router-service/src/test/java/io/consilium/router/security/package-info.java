/** Regression tests for the security findings: each reproduces an attack over real HTTP. */
@NullMarked
package io.consilium.router.security;

import org.jspecify.annotations.NullMarked;
