package io.consilium.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ReservesTest {

    private static final PlannedExpert FIRST = planned("first");
    private static final PlannedExpert SECOND = planned("second");
    private static final PlannedExpert THIRD = planned("third");

    @Test
    void should_hand_out_the_reserves_in_order_to_failed_calls_until_none_is_left() {
        // given
        Reserves reserves = new Reserves(List.of(SECOND, THIRD));
        ExpertOutcome failed = new ExpertOutcome(FIRST, null, CallOutcome.TIMEOUT, 10);

        // then
        assertThat(reserves.replacing(failed, Duration.ofSeconds(5))).isEqualTo(SECOND);
        assertThat(reserves.replacing(failed, Duration.ofSeconds(5))).isEqualTo(THIRD);
        assertThat(reserves.replacing(failed, Duration.ofSeconds(5))).isNull();
    }

    @Test
    void should_not_replace_an_answered_call_nor_one_without_time_left_for_a_replacement() {
        // given
        Reserves reserves = new Reserves(List.of(SECOND));
        ExpertOutcome answered = new ExpertOutcome(FIRST, new ChatCompletion(JsonMapper.builder().build().createObjectNode()), CallOutcome.OK, 10);
        ExpertOutcome failed = new ExpertOutcome(FIRST, null, CallOutcome.UPSTREAM_ERROR, 10);

        // then
        assertThat(reserves.replacing(answered, Duration.ofSeconds(5))).isNull();
        assertThat(reserves.replacing(failed, Reserves.MIN_TIME_FOR_REPLACEMENT.minusMillis(1))).isNull();
        assertThat(reserves.replacing(failed, Reserves.MIN_TIME_FOR_REPLACEMENT)).isEqualTo(SECOND);
    }

    private static PlannedExpert planned(String id) {
        return new PlannedExpert(Expert.builder(id).provider(Provider.MOCK).build(), 0.5, List.of());
    }
}
