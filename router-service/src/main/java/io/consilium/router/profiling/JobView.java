package io.consilium.router.profiling;

import io.consilium.profiler.ProfilingJobStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** A profiling job as the API shows it. */
record JobView(String id, String status, Progress progress, int errors, List<String> experts,
        List<String> aggregators, int items, @Nullable Instant started_at, @Nullable Instant finished_at,
        @Nullable String message) {

    /** Calls done out of calls planned. */
    record Progress(int done, int total) {}

    static JobView of(ProfilingJobStatus status) {
        return new JobView(status.id(), status.status().name().toLowerCase(Locale.ROOT),
                new Progress(status.done(), status.total()), status.errors(), status.experts(), status.aggregators(),
                status.items(), status.startedAt(), status.finishedAt(), status.message());
    }
}
