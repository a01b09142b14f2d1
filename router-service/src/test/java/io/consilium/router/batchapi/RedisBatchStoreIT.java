package io.consilium.router.batchapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.router.state.StateUnavailableException;
import io.consilium.router.testing.RedisFixture;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisBatchStoreIT extends BatchStoreContract {

    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Override
    protected BatchStore newEmptyStore() {
        redis.flushAll();
        return BatchStore.redis(redis.connection());
    }

    @Test
    void should_keep_batches_under_the_documented_keys() {
        // given
        BatchStore store = newEmptyStore();
        store.save(new BatchRecord("batch_k", "file-in", BatchInputReader.ENDPOINT, "24h", BatchStatus.IN_PROGRESS,
                "admin", 0, Set.of(), 1, Map.of(), BatchRecord.Times.created(10, 20), null, null, List.of(),
                BatchStats.NONE));
        store.putResult("batch_k", 0, true, "{}");

        // then
        assertThat(redis.commands().hexists(RedisBatchStore.BATCHES, "batch_k")).isTrue();
        assertThat(redis.commands().sismember(RedisBatchStore.UNFINISHED, "batch_k")).isTrue();
        assertThat(redis.commands().zscore(RedisBatchStore.CREATED, "batch_k")).isEqualTo(10.0);
        assertThat(redis.commands().hget("consilium:batches:batch_k:results", "0")).isEqualTo("{}");
        assertThat(redis.commands().hget("consilium:batches:batch_k:counts", "completed")).isEqualTo("1");
    }

    @Test
    void should_report_an_outage_as_state_unavailable() {
        // given
        BatchStore store = newEmptyStore();
        redis.server().stop();
        try {
            // then
            assertThatThrownBy(() -> store.find("batch_1")).isInstanceOf(StateUnavailableException.class);
            assertThatThrownBy(() -> store.putResult("batch_1", 0, true, "{}"))
                    .isInstanceOf(StateUnavailableException.class);
        } finally {
            redis.server().startAgain();
        }
    }
}
