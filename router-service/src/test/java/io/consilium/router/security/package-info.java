/** Regression tests of the security findings: each reproduces one way a secret or an address could slip out. */
@NullMarked
package io.consilium.router.security;

import org.jspecify.annotations.NullMarked;
