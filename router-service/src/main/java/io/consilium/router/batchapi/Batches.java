package io.consilium.router.batchapi;

import io.consilium.router.api.ApiException;
import io.consilium.router.auth.Caller;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * What the files and batches endpoints do, apart from reading the HTTP request: stores uploads, creates
 * batches (and hands them to the runner), shows and cancels them, for their owner only.
 */
final class Batches {

    static final String COMPLETION_WINDOW = "24h";
    private static final Duration WINDOW = Duration.ofHours(24);

    private final BatchStore store;
    private final BatchInputReader reader;
    private final BatchRunner runner;
    private final Clock clock;

    Batches(BatchStore store, BatchInputReader reader, BatchRunner runner, Clock clock) {
        this.store = store;
        this.reader = reader;
        this.runner = runner;
        this.clock = clock;
    }

    /** Validates and stores an input file. */
    BatchFile upload(String filename, byte[] content, Caller caller) {
        String text = BatchInputReader.decode(content);
        reader.read(text);
        BatchFile file = new BatchFile(Ids.file(), filename, BatchFile.INPUT, content.length, now(), caller.owner());
        store.saveFile(file, text);
        return file;
    }

    BatchFile file(String id, Caller caller) {
        return store.findFile(id).filter(file -> caller.maySee(file.owner()))
                .orElseThrow(() -> fileNotFound(id, null));
    }

    String content(BatchFile file) {
        return store.content(file.id()).orElseThrow(() -> fileNotFound(file.id(), null));
    }

    /**
     * Creates a batch over an input file and starts it. Lines whose model the caller may not use are
     * recorded now, with the caller's token ceiling, so that a batch resumed later runs with the same rights.
     */
    BatchView create(String inputFileId, String endpoint, Map<String, String> metadata, Caller caller) {
        BatchFile file = store.findFile(inputFileId).filter(found -> caller.maySee(found.owner()))
                .orElseThrow(() -> fileNotFound(inputFileId, "input_file_id"));
        if (!BatchFile.INPUT.equals(file.purpose())) {
            throw ApiException.invalidRequest("input_file_id", "The file '" + inputFileId + "' has purpose '"
                    + file.purpose() + "'; a batch needs a file uploaded with purpose 'batch'.");
        }
        List<BatchLine> lines = reader.read(content(file));
        for (BatchLine line : lines) {
            if (!line.url().equals(endpoint)) {
                throw ApiException.invalidRequest("input_file_id", "Line " + line.lineNumber() + " of the file asks for '"
                        + line.url() + "', but the batch's endpoint is '" + endpoint + "'; every line must ask for it.");
            }
        }
        Set<Integer> denied = new HashSet<>();
        for (BatchLine line : lines) {
            if (!caller.mayUse(line.model())) {
                denied.add(line.index());
            }
        }
        long now = now();
        BatchRecord batch = new BatchRecord(Ids.batch(), inputFileId, endpoint, COMPLETION_WINDOW,
                BatchStatus.VALIDATING, caller.owner(), caller.maxTokens(), denied, lines.size(), metadata,
                BatchRecord.Times.created(now, now + WINDOW.toSeconds()), null, null, List.of(), BatchStats.NONE);
        store.save(batch);
        runner.start(batch.id());
        return view(batch);
    }

    BatchView find(String id, Caller caller) {
        return view(visible(id, caller));
    }

    /** Asks the batch to stop; what finished goes to its output file. A finished batch cannot be cancelled. */
    BatchView cancel(String id, Caller caller) {
        BatchRecord batch = visible(id, caller);
        if (batch.status().isFinal()) {
            if (batch.status() == BatchStatus.CANCELLED) {
                return view(batch);
            }
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "batch_not_cancellable", null,
                    "The batch '" + id + "' is " + batch.status().id() + " and can no longer be cancelled.", null);
        }
        store.requestCancel(id, clock.instant());
        runner.cancel(id);
        return view(store.find(id).orElse(batch));
    }

    /** The caller's batches, newest first, from after the given one. */
    BatchList list(@Nullable String after, int limit, Caller caller) {
        if (after != null && store.find(after).filter(batch -> caller.maySee(batch.owner())).isEmpty()) {
            throw ApiException.invalidRequest("after", "No batch with id '" + after + "'.");
        }
        List<BatchView> page = new ArrayList<>();
        String cursor = after;
        boolean more = true;
        // Someone else's batches are skipped, so a page may take several reads.
        while (page.size() <= limit && more) {
            List<BatchRecord> read = store.list(cursor, limit + 1);
            more = read.size() == limit + 1;
            for (BatchRecord batch : read) {
                if (caller.maySee(batch.owner()) && page.size() <= limit) {
                    page.add(view(batch));
                }
            }
            cursor = read.isEmpty() ? cursor : read.getLast().id();
        }
        boolean hasMore = page.size() > limit;
        return BatchList.of(hasMore ? page.subList(0, limit) : page, hasMore);
    }

    private BatchRecord visible(String id, Caller caller) {
        return store.find(id).filter(batch -> caller.maySee(batch.owner()))
                .orElseThrow(() -> ApiException.notFound("batch_not_found", "No batch with id '" + id + "'."));
    }

    private BatchView view(BatchRecord batch) {
        return BatchView.of(batch, store.counts(batch.id()), store.cancelRequested(batch.id()).orElse(null));
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private static ApiException fileNotFound(String id, @Nullable String param) {
        return new ApiException(HttpStatus.NOT_FOUND, "invalid_request_error", "file_not_found", param,
                "No file with id '" + id + "'.", null);
    }
}
