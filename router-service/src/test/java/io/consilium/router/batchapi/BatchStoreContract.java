package io.consilium.router.batchapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BatchStore} must do. Extend it once per implementation and return an empty store from
 * {@link #newEmptyStore()}.
 */
abstract class BatchStoreContract {

    protected abstract BatchStore newEmptyStore();

    private static BatchRecord batch(String id, long createdAt, BatchStatus status) {
        return new BatchRecord(id, "file-input", BatchInputReader.ENDPOINT, "24h", status, "key:k1", 100, Set.of(2, 5),
                7, Map.of("project", "ünïcode \"quoted\""), BatchRecord.Times.created(createdAt, createdAt + 86_400),
                null, null, List.of(), BatchStats.NONE);
    }

    @Test
    void should_keep_a_file_and_its_content_whole() {
        // given
        BatchStore store = newEmptyStore();
        String content = "{\"custom_id\": \"a\"}\n{\"custom_id\": \"ü\"}\n";

        // when
        store.saveFile(new BatchFile("file-1", "input.jsonl", BatchFile.INPUT, 42, 1_700_000_000L, "admin"), content);

        // then
        assertThat(store.findFile("file-1")).contains(
                new BatchFile("file-1", "input.jsonl", BatchFile.INPUT, 42, 1_700_000_000L, "admin"));
        assertThat(store.content("file-1")).contains(content);
        assertThat(store.findFile("file-unknown")).isEmpty();
        assertThat(store.content("file-unknown")).isEmpty();
    }

    @Test
    void should_keep_a_batch_with_every_field_and_replace_it_on_save() {
        // given
        BatchStore store = newEmptyStore();
        BatchRecord created = batch("batch_1", 1_700_000_000L, BatchStatus.VALIDATING);
        BatchStats stats = new BatchStats(Map.of("alpha", 3), Map.of("agg", 1),
                Map.of("alpha", new BatchStats.ExpertCounts(3, 2, 1, 1)), 1);

        // when
        store.save(created);
        BatchRecord first = store.find("batch_1").orElseThrow();
        BatchRecord finished = created.withStats(stats).finished(BatchStatus.COMPLETED,
                created.times().inProgress(1_700_000_001L).completed(1_700_000_009L), "file-out", null);
        store.save(finished);

        // then
        assertThat(first).isEqualTo(created);
        assertThat(store.find("batch_1")).contains(finished);
        assertThat(store.find("batch_unknown")).isEmpty();
    }

    @Test
    void should_list_batches_newest_first_from_a_cursor() {
        // given
        BatchStore store = newEmptyStore();
        store.save(batch("batch_a", 100, BatchStatus.COMPLETED));
        store.save(batch("batch_b", 300, BatchStatus.IN_PROGRESS));
        store.save(batch("batch_c", 200, BatchStatus.VALIDATING));
        store.save(batch("batch_d", 200, BatchStatus.FAILED));

        // then
        assertThat(store.list(null, 10)).extracting(BatchRecord::id).containsExactly("batch_b", "batch_d", "batch_c", "batch_a");
        assertThat(store.list(null, 2)).extracting(BatchRecord::id).containsExactly("batch_b", "batch_d");
        assertThat(store.list("batch_d", 2)).extracting(BatchRecord::id).containsExactly("batch_c", "batch_a");
        assertThat(store.list("batch_a", 2)).isEmpty();
        assertThat(store.list("batch_unknown", 2)).isEmpty();
    }

    @Test
    void should_list_as_unfinished_only_batches_whose_status_is_not_final() {
        // given
        BatchStore store = newEmptyStore();
        store.save(batch("batch_v", 1, BatchStatus.VALIDATING));
        store.save(batch("batch_p", 2, BatchStatus.IN_PROGRESS));
        store.save(batch("batch_f", 3, BatchStatus.FINALIZING));
        store.save(batch("batch_done", 4, BatchStatus.IN_PROGRESS));

        // when
        store.save(batch("batch_done", 4, BatchStatus.COMPLETED));
        store.save(batch("batch_x", 5, BatchStatus.CANCELLED));

        // then
        assertThat(store.unfinished()).containsExactlyInAnyOrder("batch_v", "batch_p", "batch_f");
    }

    @Test
    void should_count_each_line_once_however_often_its_result_is_stored() throws Exception {
        // given
        BatchStore store = newEmptyStore();
        AtomicInteger stored = new AtomicInteger();

        // when: two runners race on the same lines
        try (ExecutorService runners = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> racing = new java.util.ArrayList<>();
            for (int runner = 0; runner < 2; runner++) {
                racing.add(runners.submit(() -> {
                    for (int line = 0; line < 50; line++) {
                        if (store.putResult("batch_1", line, line % 5 != 0, "{\"line\": " + line + "}")) {
                            stored.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> race : racing) {
                race.get();
            }
        }

        // then
        assertThat(stored.get()).isEqualTo(50);
        assertThat(store.counts("batch_1")).isEqualTo(new BatchStore.Counts(40, 10));
        assertThat(store.results("batch_1")).hasSize(50).containsEntry(7, "{\"line\": 7}");
        assertThat(store.finishedLines("batch_1")).hasSize(50).contains(0, 49);
        assertThat(store.counts("batch_other")).isEqualTo(new BatchStore.Counts(0, 0));
        assertThat(store.results("batch_other")).isEmpty();
    }

    @Test
    void should_remember_when_cancelling_was_first_asked_for() {
        // given
        BatchStore store = newEmptyStore();
        Instant first = Instant.ofEpochMilli(1_700_000_000_123L);

        // when
        Instant kept = store.requestCancel("batch_1", first);
        Instant again = store.requestCancel("batch_1", first.plusSeconds(60));

        // then
        assertThat(kept).isEqualTo(first);
        assertThat(again).isEqualTo(first);
        assertThat(store.cancelRequested("batch_1")).contains(first);
        assertThat(store.cancelRequested("batch_2")).isEmpty();
    }

    @Test
    void should_lease_a_batch_to_one_runner_until_it_releases_it() {
        // given
        BatchStore store = newEmptyStore();

        // when / then
        assertThat(store.claim("batch_1", "runner-a", Duration.ofMinutes(1))).isTrue();
        assertThat(store.claim("batch_1", "runner-b", Duration.ofMinutes(1))).isFalse();
        assertThat(store.claim("batch_1", "runner-a", Duration.ofMinutes(1))).as("renewal").isTrue();
        store.release("batch_1", "runner-b");
        assertThat(store.claim("batch_1", "runner-b", Duration.ofMinutes(1))).as("a stranger cannot release").isFalse();
        store.release("batch_1", "runner-a");
        assertThat(store.claim("batch_1", "runner-b", Duration.ofMinutes(1))).isTrue();
        assertThat(store.claim("batch_2", "runner-a", Duration.ofMinutes(1))).isTrue();
    }

    @Test
    void should_let_another_runner_take_a_lease_that_was_not_renewed() {
        // given
        BatchStore store = newEmptyStore();
        store.claim("batch_1", "runner-a", Duration.ofMillis(100));

        // then: once the lease has run out, the other runner gets it
        await().atMost(Duration.ofSeconds(2)).pollDelay(Duration.ofMillis(50))
                .until(() -> store.claim("batch_1", "runner-b", Duration.ofMinutes(1)));
        assertThat(store.claim("batch_1", "runner-a", Duration.ofMinutes(1))).isFalse();
    }
}
