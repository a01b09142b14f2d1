/** Tests of the Helm chart and of what the container image relies on; no cluster, no Docker. */
@NullMarked
package io.consilium.deploy;

import org.jspecify.annotations.NullMarked;
