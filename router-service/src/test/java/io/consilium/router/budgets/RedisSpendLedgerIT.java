package io.consilium.router.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.router.testing.RedisFixture;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ledger contract against a real Redis, and that its entries go away after their period. */
class RedisSpendLedgerIT extends SpendLedgerContract {

    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Override
    protected SpendLedger newEmptyLedger() {
        redis.flushAll();
        return new RedisSpendLedger(redis.connection());
    }

    @Test
    void should_let_redis_forget_an_entry_once_its_period_is_over() {
        // given
        Instant forgetAfter = Instant.now().plusSeconds(86_400);

        // when
        ledger.add(List.of("key_d:day:2027-01-31"), List.of(forgetAfter), 10);

        // then
        long expiresAt = redis.commands().expiretime("consilium:spend:key_d:day:2027-01-31");
        assertThat(expiresAt).isEqualTo(forgetAfter.getEpochSecond());
    }
}
