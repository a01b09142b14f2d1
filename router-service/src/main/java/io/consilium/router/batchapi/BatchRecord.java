package io.consilium.router.batchapi;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A batch as stored. Written by whoever creates it, then only by the runner that holds its lease; a
 * cancellation is asked for through its own flag in the store, so that the two never overwrite each other.
 * Line results and their counts are stored apart, one by one, as lines finish.
 *
 * @param owner who may see and cancel it (see {@link io.consilium.router.auth.Caller#owner()})
 * @param maxTokens the creating key's {@code max_tokens} ceiling, applied to every line; 0 for none
 * @param deniedLines indexes of lines whose model the creating key may not use: they fail with a 403
 * @param total requests in the input file
 * @param errors why the batch failed, when it did
 */
record BatchRecord(String id, String inputFileId, String endpoint, String completionWindow, BatchStatus status,
        String owner, int maxTokens, Set<Integer> deniedLines, int total, Map<String, String> metadata, Times times,
        @Nullable String outputFileId, @Nullable String errorFileId, List<LineError> errors, BatchStats stats) {

    BatchRecord {
        deniedLines = Set.copyOf(deniedLines);
        metadata = Map.copyOf(metadata);
        errors = List.copyOf(errors);
    }

    BatchRecord withStatus(BatchStatus newStatus, Times newTimes) {
        return new BatchRecord(id, inputFileId, endpoint, completionWindow, newStatus, owner, maxTokens, deniedLines,
                total, metadata, newTimes, outputFileId, errorFileId, errors, stats);
    }

    BatchRecord withStats(BatchStats newStats) {
        return new BatchRecord(id, inputFileId, endpoint, completionWindow, status, owner, maxTokens, deniedLines,
                total, metadata, times, outputFileId, errorFileId, errors, newStats);
    }

    BatchRecord finished(BatchStatus finalStatus, Times newTimes, @Nullable String output, @Nullable String errorFile) {
        return new BatchRecord(id, inputFileId, endpoint, completionWindow, finalStatus, owner, maxTokens, deniedLines,
                total, metadata, newTimes, output, errorFile, errors, stats);
    }

    BatchRecord failed(long now, List<LineError> why) {
        return new BatchRecord(id, inputFileId, endpoint, completionWindow, BatchStatus.FAILED, owner, maxTokens,
                deniedLines, total, metadata, times.failed(now), outputFileId, errorFileId, why, stats);
    }

    /** Epoch seconds of each step; null for steps not reached. */
    record Times(long createdAt, long expiresAt, @Nullable Long inProgressAt, @Nullable Long finalizingAt,
            @Nullable Long completedAt, @Nullable Long failedAt, @Nullable Long cancelledAt) {

        static Times created(long now, long expiresAt) {
            return new Times(now, expiresAt, null, null, null, null, null);
        }

        Times inProgress(long now) {
            return new Times(createdAt, expiresAt, inProgressAt != null ? inProgressAt : now, finalizingAt, completedAt,
                    failedAt, cancelledAt);
        }

        Times finalizing(long now) {
            return new Times(createdAt, expiresAt, inProgressAt, now, completedAt, failedAt, cancelledAt);
        }

        Times completed(long now) {
            return new Times(createdAt, expiresAt, inProgressAt, finalizingAt, now, failedAt, cancelledAt);
        }

        Times failed(long now) {
            return new Times(createdAt, expiresAt, inProgressAt, finalizingAt, completedAt, now, cancelledAt);
        }

        Times cancelled(long now) {
            return new Times(createdAt, expiresAt, inProgressAt, finalizingAt, completedAt, failedAt, now);
        }
    }

    /** Why a batch failed, in OpenAI's shape; {@code line} and {@code param} when they apply. */
    record LineError(String code, String message, @Nullable Integer line, @Nullable String param) {}
}
