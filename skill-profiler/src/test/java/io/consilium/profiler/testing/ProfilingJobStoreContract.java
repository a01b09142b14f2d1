package io.consilium.profiler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.profiler.ProfilingJobStatus;
import io.consilium.profiler.ProfilingJobStatus.State;
import io.consilium.profiler.ProfilingJobStore;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ProfilingJobStore} must do. Extend it once per implementation and return an empty
 * store keeping at most {@code capacity} finished jobs from {@link #newEmptyStore(int)}.
 */
public abstract class ProfilingJobStoreContract {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

    protected abstract ProfilingJobStore newEmptyStore(int capacity);

    protected static ProfilingJobStatus job(String id, State state, @Nullable Instant startedAt,
            @Nullable Instant finishedAt) {
        return new ProfilingJobStatus(id, state, 3, 10, 1, List.of("alpha", "bravo"), List.of("bravo"), 5, startedAt,
                finishedAt, state == State.FAILED ? "the judge \"j\" is gone" : null);
    }

    private static ProfilingJobStatus finished(String id, int minute) {
        return job(id, State.SUCCEEDED, T0.plusSeconds(60L * minute), T0.plusSeconds(60L * minute + 30));
    }

    @Test
    void should_find_nothing_when_empty() {
        ProfilingJobStore store = newEmptyStore(10);

        assertThat(store.find("missing")).isEmpty();
        assertThat(store.recent(10)).isEmpty();
    }

    @Test
    void should_keep_every_field_of_a_snapshot() {
        // given
        ProfilingJobStore store = newEmptyStore(10);
        ProfilingJobStatus queued = job("queued", State.QUEUED, null, null);
        ProfilingJobStatus failed = job("failed", State.FAILED, T0, T0.plusMillis(1500));

        // when
        store.save(queued);
        store.save(failed);

        // then
        assertThat(store.find("queued")).contains(queued);
        assertThat(store.find("failed")).contains(failed);
    }

    @Test
    void should_replace_the_snapshot_of_a_job_saved_again() {
        // given
        ProfilingJobStore store = newEmptyStore(10);
        store.save(job("job", State.QUEUED, null, null));
        store.save(job("job", State.RUNNING, T0, null));

        // when
        ProfilingJobStatus done = job("job", State.SUCCEEDED, T0, T0.plusSeconds(5));
        store.save(done);

        // then
        assertThat(store.find("job")).contains(done);
        assertThat(store.recent(10)).containsExactly(done);
    }

    @Test
    void should_list_the_most_recently_started_first_and_not_started_last() {
        // given
        ProfilingJobStore store = newEmptyStore(10);
        store.save(finished("first", 1));
        store.save(job("waiting", State.QUEUED, null, null));
        store.save(finished("third", 3));
        store.save(job("second", State.RUNNING, T0.plusSeconds(120), null));

        // then
        assertThat(store.recent(10)).extracting(ProfilingJobStatus::id)
                .containsExactly("third", "second", "first", "waiting");
        assertThat(store.recent(2)).extracting(ProfilingJobStatus::id).containsExactly("third", "second");
    }

    @Test
    void should_drop_the_oldest_finished_jobs_beyond_its_capacity_but_keep_running_ones() {
        // given
        ProfilingJobStore store = newEmptyStore(3);
        store.save(job("long-running", State.RUNNING, T0, null));

        // when
        for (int minute = 1; minute <= 5; minute++) {
            store.save(finished("job-" + minute, minute));
        }

        // then
        assertThat(store.recent(10)).extracting(ProfilingJobStatus::id)
                .containsExactly("job-5", "job-4", "long-running");
        assertThat(store.find("job-1")).isEmpty();
        assertThat(store.find("long-running")).isPresent();
    }
}
