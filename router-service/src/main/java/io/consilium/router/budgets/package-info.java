/** What API keys may spend in US dollars per calendar period, counted from the experts' prices. */
@NullMarked
package io.consilium.router.budgets;

import org.jspecify.annotations.NullMarked;
