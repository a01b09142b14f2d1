package io.consilium.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.aggregator.FusionMode;
import io.consilium.profiler.CompetenceModel;
import io.consilium.profiler.ProfileService;
import io.consilium.profiler.SkillScore;
import io.consilium.profiler.SkillVector;
import io.consilium.profiler.internal.InMemoryProfileStore;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Cost;
import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Each routing policy on its own, over hand-ranked experts: no service, no classifier, no registry. */
class RoutingPoliciesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SkillVector CLEAR_LAW = new SkillVector(
            List.of(new SkillScore("law", 0.6), new SkillScore("general.chat", 0.4)), false);
    private static final SkillVector UNSURE = new SkillVector(
            List.of(new SkillScore("law", 0.3), new SkillScore("general.chat", 0.3)), true);
    private static final Expert AGGREGATOR = expert("fuser", List.of("general.chat"), Cost.FREE);

    private final RoutingConfig config = RoutingConfig.custom().defaultK(3).maxK(4).reserves(1).build();
    private final ProfileService profiles = new ProfileService(new InMemoryProfileStore(Clock.systemUTC()), CompetenceModel.DEFAULTS);

    @Test
    void should_recruit_the_default_k_and_synthesise_when_no_expert_dominates() {
        // given
        RoutingPolicy policy = new SymbolicMoePolicy(recruitment(AGGREGATOR));

        // when
        Plan plan = policy.plan(input(CLEAR_LAW, RoutingOptions.NONE, false, 0.50, 0.45, 0.40, 0.35, 0.30));

        // then
        assertThat(ids(plan.experts())).containsExactly("e1", "e2", "e3");
        assertThat(ids(plan.reserves())).containsExactly("e4");
        assertThat(plan.fusion()).isEqualTo(FusionMode.SYNTHESIZE);
        assertThat(plan.aggregator()).isEqualTo(AGGREGATOR);
        assertThat(plan.strategy()).isEqualTo(Strategy.SYMBOLIC_MOE);
    }

    @Test
    void should_recruit_one_expert_alone_when_it_dominates_and_the_most_when_the_skills_are_unclear() {
        // given
        RoutingPolicy policy = new SymbolicMoePolicy(recruitment(AGGREGATOR));

        // when
        Plan dominated = policy.plan(input(CLEAR_LAW, RoutingOptions.NONE, false, 0.90, 0.40, 0.30));
        Plan unsure = policy.plan(input(UNSURE, RoutingOptions.NONE, false, 0.50, 0.45, 0.40, 0.35, 0.30));

        // then
        assertThat(ids(dominated.experts())).containsExactly("e1");
        assertThat(dominated.fusion()).isEqualTo(FusionMode.NONE);
        assertThat(dominated.aggregator()).isNull();
        assertThat(ids(unsure.experts())).containsExactly("e1", "e2", "e3", "e4");
    }

    @Test
    void should_vote_when_no_aggregator_is_there_and_follow_the_requested_k_and_fusion() {
        // given
        RoutingPolicy withoutAggregator = new SymbolicMoePolicy(recruitment(null));
        RoutingOptions twoBest = new RoutingOptions(null, 2, FusionMode.BEST, null, null, Set.of(), Set.of(), false);

        // when
        Plan voted = withoutAggregator.plan(input(CLEAR_LAW, RoutingOptions.NONE, false, 0.50, 0.45, 0.40));
        Plan asked = new SymbolicMoePolicy(recruitment(AGGREGATOR)).plan(input(CLEAR_LAW, twoBest, false, 0.50, 0.45, 0.40));

        // then
        assertThat(voted.fusion()).isEqualTo(FusionMode.VOTE);
        assertThat(ids(asked.experts())).containsExactly("e1", "e2");
        assertThat(asked.fusion()).isEqualTo(FusionMode.BEST);
        assertThat(asked.aggregator()).isNull();
    }

    @Test
    void should_send_a_route_request_to_the_single_best_expert_with_reserves() {
        // when
        Plan plan = new SymbolicMoePolicy(recruitment(AGGREGATOR)).plan(input(CLEAR_LAW, RoutingOptions.NONE, true, 0.5, 0.45, 0.4));

        // then
        assertThat(ids(plan.experts())).containsExactly("e1");
        assertThat(ids(plan.reserves())).containsExactly("e2");
        assertThat(plan.fusion()).isEqualTo(FusionMode.NONE);
    }

    @Test
    void should_pick_the_expert_declared_for_the_top_skill_under_coe_even_when_it_ranks_lower() {
        // given
        Expert generalist = expert("generalist", List.of("general.chat"), Cost.FREE);
        Expert lawyer = expert("lawyer", List.of("law"), Cost.FREE);
        List<PlannedExpert> ranked = List.of(new PlannedExpert(generalist, 0.6, List.of()),
                new PlannedExpert(lawyer, 0.5, List.of()));

        // when
        Plan plan = new CoePolicy(recruitment(AGGREGATOR), profiles)
                .plan(new RoutingPolicy.Input(request(), CLEAR_LAW, ranked, RoutingOptions.NONE, false));

        // then
        assertThat(ids(plan.experts())).containsExactly("lawyer");
        assertThat(ids(plan.reserves())).containsExactly("generalist");
        assertThat(plan.strategy()).isEqualTo(Strategy.COE);
    }

    @Test
    void should_keep_only_what_fits_the_budget_with_free_experts_first_under_cost() {
        // given
        Expert pricey = expert("pricey", List.of("law"), new Cost(30_000, 60_000));
        Expert cheap = expert("cheap", List.of("law"), new Cost(1, 2));
        Expert free = expert("free", List.of("law"), Cost.FREE);
        List<PlannedExpert> ranked = List.of(new PlannedExpert(pricey, 0.9, List.of()),
                new PlannedExpert(cheap, 0.5, List.of()), new PlannedExpert(free, 0.3, List.of()));
        RoutingOptions budget = new RoutingOptions(Strategy.COST, null, null, null, 0.01, Set.of(), Set.of(), false);
        RoutingPolicy policy = new CostPolicy(recruitment(AGGREGATOR), config);

        // when
        Plan plan = policy.plan(new RoutingPolicy.Input(request(), CLEAR_LAW, ranked, budget, true));

        // then
        assertThat(ids(plan.experts())).containsExactly("free");
        assertThat(ids(plan.reserves())).containsExactly("cheap");
        assertThat(plan.strategy()).isEqualTo(Strategy.COST);
    }

    @Test
    void should_refuse_a_budget_no_expert_fits_naming_the_option() {
        // given
        Expert pricey = expert("pricey", List.of("law"), new Cost(30_000, 60_000));
        RoutingOptions budget = new RoutingOptions(Strategy.COST, null, null, null, 0.000001, Set.of(), Set.of(), false);

        // then
        assertThatThrownBy(() -> new CostPolicy(recruitment(AGGREGATOR), config).plan(new RoutingPolicy.Input(request(),
                CLEAR_LAW, List.of(new PlannedExpert(pricey, 0.9, List.of())), budget, false)))
                .isInstanceOfSatisfying(InvalidRoutingRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("consilium.max_cost_usd"));
    }

    @Test
    void should_name_the_rejected_value_when_the_routing_config_is_invalid() {
        assertThatThrownBy(() -> RoutingConfig.custom().defaultK(0)).hasMessage("defaultK must be from 1 to 8, but was 0");
        assertThatThrownBy(() -> RoutingConfig.custom().dominance(0.5)).hasMessage("dominance must be at least 1, but was 0.5");
        assertThatThrownBy(() -> RoutingConfig.custom().defaultK(4).maxK(3).build())
                .hasMessage("maxK must be at least defaultK (4), but was 3");
        assertThatThrownBy(() -> RoutingConfig.custom().deadline(java.time.Duration.ZERO))
                .hasMessage("deadline must be positive, but was PT0S");
    }

    @Test
    void should_hold_the_dynamic_k_to_the_keys_ceiling_and_refuse_an_explicit_k_or_strategy_above_it() {
        // given: unclear skills, where the planner would recruit its most (4)
        RoutingCeiling ceiling = new RoutingCeiling(2, Set.of(Strategy.COE, Strategy.COST));
        RoutingPolicy.Input unsure = input(UNSURE, RoutingOptions.NONE, false, 0.50, 0.45, 0.40, 0.35, 0.30);

        // when
        Plan bounded = new SymbolicMoePolicy(recruitment(AGGREGATOR)).plan(new RoutingPolicy.Input(unsure.request(),
                unsure.skills(), unsure.ranked(), unsure.options(), false, ceiling.k()));

        // then
        assertThat(ids(new SymbolicMoePolicy(recruitment(AGGREGATOR)).plan(unsure).experts())).hasSize(4);
        assertThat(ids(bounded.experts())).containsExactly("e1", "e2");
        assertThatThrownBy(() -> ceiling.check(new RoutingOptions(null, 3, null, null, null, Set.of(), Set.of(), false)))
                .isInstanceOfSatisfying(InvalidRoutingRequestException.class, refused -> {
                    assertThat(refused.field()).isEqualTo("consilium.k");
                    assertThat(refused.getMessage()).contains("at most 2").contains("3");
                });
        assertThatThrownBy(() -> ceiling.check(new RoutingOptions(Strategy.SYMBOLIC_MOE, null, null, null, null,
                Set.of(), Set.of(), false))).hasMessageContaining("coe, cost").hasMessageContaining("symbolic-moe");
        assertThat(ceiling.strategyOr(Strategy.SYMBOLIC_MOE)).isEqualTo(Strategy.COE);
        assertThat(new RoutingCeiling(0, Set.of(Strategy.SYMBOLIC_MOE, Strategy.COST)).strategyOr(Strategy.COE))
                .isEqualTo(Strategy.COST);
        assertThat(RoutingCeiling.NONE.strategyOr(Strategy.COE)).isEqualTo(Strategy.COE);
        assertThatThrownBy(() -> new RoutingCeiling(9, Set.of())).hasMessage("maxK must be from 0 (no ceiling) to 8, but was 9");
    }

    private Recruitment recruitment(@Nullable Expert aggregator) {
        return new Recruitment(config, options -> aggregator);
    }

    private static RoutingPolicy.Input input(SkillVector skills, RoutingOptions options, boolean oneExpert, double... scores) {
        List<PlannedExpert> ranked = new java.util.ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            ranked.add(new PlannedExpert(expert("e" + (i + 1), List.of("law"), Cost.FREE), scores[i], List.of()));
        }
        return new RoutingPolicy.Input(request(), skills, ranked, options, oneExpert);
    }

    private static ChatRequest request() {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("messages").addObject().put("role", "user").put("content", "Can my landlord keep the deposit?");
        return new ChatRequest(body);
    }

    private static Expert expert(String id, List<String> skills, Cost cost) {
        return Expert.builder(id).provider(Provider.MOCK).skills(skills).cost(cost).build();
    }

    private static List<String> ids(List<PlannedExpert> planned) {
        return planned.stream().map(p -> p.expert().id()).toList();
    }
}
