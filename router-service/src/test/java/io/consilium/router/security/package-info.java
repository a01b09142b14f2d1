/** Regression tests for security findings: each reproduces a finding against the running service. */
@NullMarked
package io.consilium.router.security;

import org.jspecify.annotations.NullMarked;
