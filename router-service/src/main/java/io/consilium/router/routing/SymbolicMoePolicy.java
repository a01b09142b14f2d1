package io.consilium.router.routing;

/** Symbolic-MoE: the k experts with the best skill-weighted competence, fused; k chosen per request. */
final class SymbolicMoePolicy implements RoutingPolicy {

    private final Recruitment recruitment;

    SymbolicMoePolicy(Recruitment recruitment) {
        this.recruitment = recruitment;
    }

    @Override
    public Strategy strategy() {
        return Strategy.SYMBOLIC_MOE;
    }

    @Override
    public Plan plan(Input input) {
        if (input.oneExpert()) {
            return recruitment.single(strategy(), input.skills(), input.ranked());
        }
        return recruitment.recruit(strategy(), input.skills(), input.ranked(),
                recruitment.k(input), input.options());
    }
}
