package io.consilium.router.batchapi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A batch as the API shows it: OpenAI's batch object, plus {@code consilium}: how the work was grouped by
 * expert, the calls each expert got, and the local model loads counted while it ran.
 */
record BatchView(String id, String object, String endpoint, @Nullable Errors errors, String input_file_id,
        String completion_window, String status, @Nullable String output_file_id, @Nullable String error_file_id,
        long created_at, @Nullable Long in_progress_at, long expires_at, @Nullable Long finalizing_at,
        @Nullable Long completed_at, @Nullable Long failed_at, @Nullable Long expired_at, @Nullable Long cancelling_at,
        @Nullable Long cancelled_at, RequestCounts request_counts, Map<String, String> metadata, Consilium consilium) {

    static BatchView of(BatchRecord batch, BatchStore.Counts counts, @Nullable Instant cancelRequested) {
        BatchRecord.Times times = batch.times();
        boolean cancelling = cancelRequested != null && !batch.status().isFinal();
        String status = cancelling ? BatchStatus.CANCELLING.id() : batch.status().id();
        Errors errors = batch.errors().isEmpty() ? null : new Errors("list", batch.errors().stream()
                .map(error -> new Error(error.code(), error.message(), error.line(), error.param())).toList());
        BatchStats stats = batch.stats();
        return new BatchView(batch.id(), "batch", batch.endpoint(), errors, batch.inputFileId(),
                batch.completionWindow(), status, batch.outputFileId(), batch.errorFileId(), times.createdAt(),
                times.inProgressAt(), times.expiresAt(), times.finalizingAt(), times.completedAt(), times.failedAt(),
                null, cancelRequested == null ? null : cancelRequested.getEpochSecond(), times.cancelledAt(),
                new RequestCounts(batch.total(), counts.completed(), counts.failed()), batch.metadata(),
                new Consilium(stats.groups(), stats.aggregatorGroups(), experts(stats), stats.modelLoads()));
    }

    private static Map<String, ExpertCalls> experts(BatchStats stats) {
        Map<String, ExpertCalls> experts = new TreeMap<>();
        stats.experts().forEach((id, counts) -> experts.put(id,
                new ExpertCalls(counts.requests(), counts.answered(), counts.failed(), counts.modelLoads())));
        return experts;
    }

    record RequestCounts(int total, int completed, int failed) {}

    record Errors(String object, List<Error> data) {}

    record Error(String code, String message, @Nullable Integer line, @Nullable String param) {}

    /**
     * @param groups requests grouped for each expert when the lines were planned
     * @param aggregator_groups synthesis requests grouped for each aggregator
     * @param experts calls made to each expert (reserves and aggregators included), and its model loads
     * @param model_loads local model loads counted while the batch ran
     */
    record Consilium(Map<String, Integer> groups, Map<String, Integer> aggregator_groups,
            Map<String, ExpertCalls> experts, long model_loads) {}

    /** Calls made to one expert, and loads of its local model. */
    record ExpertCalls(int requests, int answered, int failed, long model_loads) {}
}
