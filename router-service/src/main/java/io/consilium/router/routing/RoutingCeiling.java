package io.consilium.router.routing;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How far an API key may fan a request out: at most {@code maxK} experts (0: no ceiling beyond
 * {@link RoutingOptions#MAX_K}) and only the {@code strategies} listed (empty: all). A request that asks for more
 * explicitly is refused, naming the limit; what the planner chooses on its own (the dynamic k, the model's
 * default strategy) is brought within the ceiling instead.
 *
 * <p>Planning reads the ceiling of the request being served from {@link #CURRENT}, bound by the API's key checks
 * for keys that have one, so the planner's callers need not carry it.
 */
public record RoutingCeiling(int maxK, Set<Strategy> strategies) {

    public static final RoutingCeiling NONE = new RoutingCeiling(0, Set.of());

    /** The ceiling of the key the current request came with; unbound when it has none. */
    public static final ScopedValue<RoutingCeiling> CURRENT = ScopedValue.newInstance();

    /** When the model's default strategy is not allowed: the one that fans out least first. */
    private static final List<Strategy> FALLBACK_ORDER = List.of(Strategy.COE, Strategy.COST, Strategy.SYMBOLIC_MOE);

    public RoutingCeiling {
        if (maxK < 0 || maxK > RoutingOptions.MAX_K) {
            throw new IllegalArgumentException("maxK must be from 0 (no ceiling) to " + RoutingOptions.MAX_K
                    + ", but was " + maxK);
        }
        // A key stored before ceilings existed has none.
        strategies = strategies == null || strategies.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(strategies));
    }

    /** Whether it limits anything at all. */
    public boolean limits() {
        return maxK > 0 || !strategies.isEmpty();
    }

    public boolean allows(Strategy strategy) {
        return strategies.isEmpty() || strategies.contains(strategy);
    }

    /** The allowed strategies by id, in a fixed order; empty when all are. */
    public List<String> strategyIds() {
        return Arrays.stream(Strategy.values()).filter(strategies::contains).map(Strategy::id).toList();
    }

    /** The ceiling of the current request; {@link #NONE} outside one. */
    static RoutingCeiling current() {
        return CURRENT.orElse(NONE);
    }

    /** @throws InvalidRoutingRequestException when the options ask for more than the ceiling allows */
    void check(RoutingOptions options) {
        if (maxK > 0 && options.k() != null && options.k() > maxK) {
            throw new InvalidRoutingRequestException("consilium.k", "'consilium.k' may be at most " + maxK
                    + " with this API key, but was " + options.k() + ".");
        }
        if (options.strategy() != null && !allows(options.strategy())) {
            throw new InvalidRoutingRequestException("consilium.strategy", "This API key may use only the strategies "
                    + String.join(", ", strategyIds()) + ", but 'consilium.strategy' was '" + options.strategy().id() + "'.");
        }
    }

    /** The strategy to plan with when the request named none. */
    Strategy strategyOr(Strategy modelDefault) {
        if (allows(modelDefault)) {
            return modelDefault;
        }
        return FALLBACK_ORDER.stream().filter(this::allows).findFirst().orElseThrow();
    }

    /** The most experts a plan may recruit. */
    int k() {
        return maxK > 0 ? maxK : RoutingOptions.MAX_K;
    }
}
