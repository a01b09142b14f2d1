package io.consilium.router.budgets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.consilium.registry.Cost;
import io.consilium.registry.Expert;
import io.consilium.registry.Usage;
import io.consilium.router.api.ApiException;
import io.consilium.router.state.StateUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class BudgetsTest {

    private static final Instant LAST_HOUR_OF_JANUARY = Instant.parse("2027-01-31T23:00:00Z");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final InMemorySpendLedger ledger = new InMemorySpendLedger();

    private Budgets at(Instant now) {
        return new Budgets(ledger, Clock.fixed(now, ZoneOffset.UTC), true, meters);
    }

    @Test
    void should_admit_while_less_than_the_budget_is_spent_and_refuse_once_it_is_until_the_period_ends() {
        // given
        Budget budget = new Budget(0.01, BudgetPeriod.DAY);
        Budgets budgets = at(LAST_HOUR_OF_JANUARY);

        // when: 0.009 spent, then a request that crosses the budget
        budgets.charge("key_a", budget, 9_000_000);
        assertThatCode(() -> budgets.admit("key_a", budget)).doesNotThrowAnyException();
        budgets.charge("key_a", budget, 5_000_000);

        // then
        assertThatThrownBy(() -> budgets.admit("key_a", budget)).isInstanceOfSatisfying(ApiException.class, refused -> {
            assertThat(refused.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
            assertThat(refused.retryAfter()).isEqualTo(Duration.ofHours(1));
            assertThat(refused.getMessage()).contains("$0.0100").contains("$0.0140").contains("2027-02-01T00:00:00Z");
        });
        assertThat(budgets.standing("key_a", budget).spentUsd()).isEqualTo(0.014);
        assertThat(meters.get("consilium.budget.spent").tag("key", "key_a").counter().count()).isCloseTo(0.014, within(1e-12));
        assertThat(meters.get("consilium.budget.refused").counter().count()).isEqualTo(1);
        // and: the next day, the budget is whole again
        assertThatCode(() -> at(LAST_HOUR_OF_JANUARY.plus(Duration.ofHours(2))).admit("key_a", budget))
                .doesNotThrowAnyException();
    }

    @Test
    void should_count_a_charge_in_both_the_day_and_the_month_so_a_change_of_period_keeps_what_was_spent() {
        // given
        Budgets budgets = at(LAST_HOUR_OF_JANUARY);
        budgets.charge("key_b", new Budget(5, BudgetPeriod.DAY), 2_000_000_000L);

        // then
        assertThat(budgets.standing("key_b", new Budget(5, BudgetPeriod.MONTH)).spentUsd()).isEqualTo(2.0);
        assertThat(budgets.standing("key_b", new Budget(5, BudgetPeriod.MONTH)).resetsAt())
                .isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
        assertThatThrownBy(() -> budgets.admit("key_b", new Budget(2, BudgetPeriod.MONTH))).isInstanceOf(ApiException.class);
    }

    @Test
    void should_count_nothing_for_a_key_without_a_budget() {
        // given
        Budgets budgets = at(LAST_HOUR_OF_JANUARY);

        // when
        budgets.charge("key_c", Budget.NONE, 1_000_000_000L);

        // then
        assertThat(budgets.standing("key_c", new Budget(1, BudgetPeriod.MONTH)).spentUsd()).isZero();
        assertThatCode(() -> budgets.admit("key_c", Budget.NONE)).doesNotThrowAnyException();
    }

    @Test
    void should_follow_the_fail_policy_when_the_ledger_is_unreachable() {
        // given
        SpendLedger unreachable = new SpendLedger() {
            @Override
            public long spent(String entry) {
                throw new StateUnavailableException("read", new RuntimeException("down"));
            }

            @Override
            public void add(List<String> entries, List<Instant> forgetAfter, long nanoUsd) {
                throw new StateUnavailableException("add", new RuntimeException("down"));
            }
        };
        Budget budget = new Budget(1, BudgetPeriod.DAY);
        Clock clock = Clock.fixed(LAST_HOUR_OF_JANUARY, ZoneOffset.UTC);

        // then
        assertThatCode(() -> new Budgets(unreachable, clock, true, meters).admit("key_d", budget)).doesNotThrowAnyException();
        assertThatCode(() -> new Budgets(unreachable, clock, true, meters).charge("key_d", budget, 5)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new Budgets(unreachable, clock, false, meters).admit("key_d", budget))
                .isInstanceOfSatisfying(ApiException.class, refused ->
                        assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
    }

    @Test
    void should_price_a_call_by_the_experts_own_rule() {
        // given: $0.20 and $0.60 per million tokens
        Expert expert = Expert.builder("priced").provider(io.consilium.registry.Provider.MOCK).cost(new Cost(0.20, 0.60)).build();

        // then: the metadata's cost_usd of the same call, in nano-dollars
        assertThat(Spend.of(expert, new Usage(11, 7))).isEqualTo(Math.round(expert.cost().priceOf(11, 7) * 1e9)).isEqualTo(6_400);
    }

    @Test
    void should_place_periods_on_the_utc_calendar() {
        assertThat(BudgetPeriod.DAY.start(LAST_HOUR_OF_JANUARY)).isEqualTo(Instant.parse("2027-01-31T00:00:00Z"));
        assertThat(BudgetPeriod.DAY.end(LAST_HOUR_OF_JANUARY)).isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
        assertThat(BudgetPeriod.MONTH.start(LAST_HOUR_OF_JANUARY)).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(BudgetPeriod.MONTH.end(Instant.parse("2028-02-10T12:00:00Z"))).isEqualTo(Instant.parse("2028-03-01T00:00:00Z"));
        assertThat(BudgetPeriod.MONTH.label(LAST_HOUR_OF_JANUARY)).isEqualTo("2027-01");
        assertThat(BudgetPeriod.DAY.label(LAST_HOUR_OF_JANUARY)).isEqualTo("2027-01-31");
    }
}
