/** Tests of the Helm chart, the Dockerfile and the launcher script, and of what they rely on; no cluster, no Docker. */
@NullMarked
package io.consilium.deploy;

import org.jspecify.annotations.NullMarked;
