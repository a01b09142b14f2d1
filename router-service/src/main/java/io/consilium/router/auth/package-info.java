/** Who may call the service: API keys, the admin key, and per-key rate limits. */
@NullMarked
package io.consilium.router.auth;

import org.jspecify.annotations.NullMarked;
