package io.consilium.router.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import io.consilium.router.budgets.Budget;
import io.consilium.router.budgets.BudgetPeriod;
import io.consilium.router.routing.RoutingCeiling;
import io.consilium.router.routing.Strategy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ApiKeyStore} must do; run against memory and Redis. */
abstract class ApiKeyStoreContract {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    protected ApiKeyStore store;

    /** A store with nothing in it. */
    protected abstract ApiKeyStore newEmptyStore();

    @BeforeEach
    void emptyStore() {
        store = newEmptyStore();
    }

    private static ApiKey key(String id, Instant createdAt) {
        return new ApiKey(id, "name of " + id, "csk-" + id, "hash-" + id, List.of("consilium/auto", "mock-math"), 60, 1000,
                256, createdAt, NOW.plus(30, ChronoUnit.DAYS), null, new Budget(12.5, BudgetPeriod.DAY),
                new RoutingCeiling(2, Set.of(Strategy.COE, Strategy.COST)));
    }

    @Test
    void should_give_back_a_stored_key_with_every_field() {
        // given
        ApiKey key = key("key_a", NOW);

        // when
        store.create(key);

        // then
        assertThat(store.find("key_a")).contains(key);
        assertThat(store.find("key_missing")).isEmpty();
    }

    @Test
    void should_list_keys_in_creation_order() {
        // given
        store.create(key("key_late", NOW.plusSeconds(10)));
        store.create(key("key_early", NOW));

        // then
        assertThat(store.findAll()).extracting(ApiKey::id).containsExactly("key_early", "key_late");
    }

    @Test
    void should_update_only_a_key_that_exists() {
        // given
        ApiKey key = key("key_a", NOW);
        store.create(key);

        // when
        boolean revoked = store.update(key.revokedAt(NOW.plusSeconds(5)));
        boolean unknown = store.update(key("key_unknown", NOW).revokedAt(NOW));

        // then
        assertThat(revoked).isTrue();
        assertThat(store.find("key_a").orElseThrow().revokedAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(unknown).isFalse();
        assertThat(store.find("key_unknown")).isEmpty();
    }

    @Test
    void should_keep_the_first_generated_admin_key_hash() {
        // given
        assertThat(store.generatedAdminKeyHash()).isEmpty();

        // when
        boolean first = store.storeGeneratedAdminKeyHash("hash-one");
        boolean second = store.storeGeneratedAdminKeyHash("hash-two");

        // then
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(store.generatedAdminKeyHash()).contains("hash-one");
    }
}
