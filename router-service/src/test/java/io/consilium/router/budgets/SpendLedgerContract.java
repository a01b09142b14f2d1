package io.consilium.router.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every spending ledger does, run against each implementation. */
abstract class SpendLedgerContract {

    private static final Instant LATER = Instant.now().plusSeconds(3600);

    protected SpendLedger ledger;

    protected abstract SpendLedger newEmptyLedger();

    @BeforeEach
    void emptyLedger() {
        ledger = newEmptyLedger();
    }

    @Test
    void should_count_nothing_for_an_entry_never_charged() {
        assertThat(ledger.spent("key_a:day:2027-01-31")).isZero();
    }

    @Test
    void should_add_each_charge_to_every_entry_it_names_and_to_no_other() {
        // when
        ledger.add(List.of("key_a:day:2027-01-31", "key_a:month:2027-01"), List.of(LATER, LATER), 1_500);
        ledger.add(List.of("key_a:day:2027-01-31", "key_a:month:2027-01"), List.of(LATER, LATER), 2_000_000_000_007L);

        // then
        assertThat(ledger.spent("key_a:day:2027-01-31")).isEqualTo(2_000_000_001_507L);
        assertThat(ledger.spent("key_a:month:2027-01")).isEqualTo(2_000_000_001_507L);
        assertThat(ledger.spent("key_b:day:2027-01-31")).isZero();
    }

    @Test
    void should_lose_no_charge_made_at_the_same_time() throws Exception {
        // when
        List<Future<?>> charges;
        try (var pool = Executors.newFixedThreadPool(4)) {
            charges = IntStream.range(0, 40).<Future<?>>mapToObj(i -> pool.submit(() ->
                    ledger.add(List.of("key_c:month:2027-01"), List.of(LATER), 3))).toList();
        }
        for (Future<?> charge : charges) {
            charge.get();
        }

        // then
        assertThat(ledger.spent("key_c:month:2027-01")).isEqualTo(120);
    }
}
