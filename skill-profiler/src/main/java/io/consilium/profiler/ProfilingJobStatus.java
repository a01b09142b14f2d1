package io.consilium.profiler;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a profiling job.
 *
 * @param done calls finished (answers graded, fusions graded, or failed)
 * @param total calls planned
 * @param errors calls that failed; they are not counted as wrong answers
 * @param message why a job failed, or what it skipped
 */
public record ProfilingJobStatus(String id, State status, int done, int total, int errors, List<String> experts,
        List<String> aggregators, int items, @Nullable Instant startedAt, @Nullable Instant finishedAt,
        @Nullable String message) {

    /** Lifecycle of a job. */
    public enum State {
        QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

        public boolean isFinal() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    public ProfilingJobStatus {
        experts = List.copyOf(experts);
        aggregators = List.copyOf(aggregators);
    }
}
