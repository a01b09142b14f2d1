package io.consilium.router.batchapi;

import io.consilium.router.api.ApiException;
import io.consilium.router.api.OpenAiError;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.node.ObjectNode;

/**
 * One run of one batch by the runner that holds its lease: reads its lines, skips those with a stored
 * result (a resumed batch redoes only what was not finished), runs the rest, stores each line's result as
 * it finishes, and writes the output and error files at the end, in input order. A stopped run stores
 * nothing more; a cancelled one still writes what finished.
 */
final class BatchJob {

    private final String batchId;
    private final BatchStore store;
    private final BatchInputReader reader;
    private final BatchEngine engine;
    private final ModelLoads loads;
    private final RunControl control;
    private final Clock clock;

    BatchJob(String batchId, BatchStore store, BatchInputReader reader, BatchEngine engine, ModelLoads loads,
            RunControl control, Clock clock) {
        this.batchId = batchId;
        this.store = store;
        this.reader = reader;
        this.engine = engine;
        this.loads = loads;
        this.control = control;
        this.clock = clock;
    }

    void run() {
        BatchRecord batch = store.find(batchId).orElse(null);
        if (batch == null || batch.status().isFinal()) {
            return;
        }
        String inputFileId = batch.inputFileId();
        List<BatchLine> lines;
        try {
            lines = reader.read(store.content(inputFileId).orElseThrow(() -> ApiException.notFound(
                    "file_not_found", "The input file '" + inputFileId + "' no longer exists.")));
        } catch (ApiException unreadable) {
            OpenAiError.Detail error = unreadable.toError().error();
            store.save(batch.failed(now(), List.of(new BatchRecord.LineError(
                    error.code() != null ? error.code() : "invalid_input_file", error.message(), null, error.param()))));
            return;
        }
        if (store.cancelRequested(batchId).isPresent()) {
            finish(batch, lines, BatchStatus.CANCELLED);
            return;
        }
        if (batch.status() == BatchStatus.VALIDATING) {
            batch = batch.withStatus(BatchStatus.IN_PROGRESS, batch.times().inProgress(now()));
            store.save(batch);
        }
        Set<Integer> finished = store.finishedLines(batchId);
        List<BatchLine> remaining = lines.stream().filter(line -> !finished.contains(line.index())).toList();
        Progress progress = new Progress(batch);
        engine.run(batch, remaining, control, progress, progress.stats);
        if (control.reason() == RunControl.Reason.CANCELLED) {
            finish(progress.withStats(), lines, BatchStatus.CANCELLED);
        } else if (!control.stopped()) {
            finish(progress.withStats(), lines, BatchStatus.COMPLETED);
        }
    }

    /** Writes the output file (every finished line) and the error file (failed lines), then the final status. */
    private void finish(BatchRecord batch, List<BatchLine> lines, BatchStatus status) {
        if (status == BatchStatus.COMPLETED) {
            batch = batch.withStatus(BatchStatus.FINALIZING, batch.times().finalizing(now()));
            store.save(batch);
        }
        Map<Integer, String> results = new HashMap<>(store.results(batchId));
        if (status == BatchStatus.COMPLETED) {
            // Every line ran; one without a result hit a fault of ours, and must still show up as failed.
            for (BatchLine line : lines) {
                if (!results.containsKey(line.index())) {
                    String failed = BatchOutput.failed(line, new ApiException(HttpStatus.INTERNAL_SERVER_ERROR,
                            "server_error", "internal_error", null, "The server failed to answer this request.", null));
                    store.putResult(batchId, line.index(), false, failed);
                    results.put(line.index(), failed);
                }
            }
        }
        StringBuilder output = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        for (BatchLine line : lines) {
            String result = results.get(line.index());
            if (result == null) {
                continue;
            }
            output.append(result).append('\n');
            if (!BatchOutput.isAnswer(result)) {
                errors.append(result).append('\n');
            }
        }
        String outputFile = output.isEmpty() ? null : saveFile(batch, "output", output.toString());
        String errorFile = errors.isEmpty() ? null : saveFile(batch, "error", errors.toString());
        long now = now();
        store.save(batch.finished(status, status == BatchStatus.COMPLETED ? batch.times().completed(now)
                : batch.times().cancelled(now), outputFile, errorFile));
    }

    private String saveFile(BatchRecord batch, String kind, String content) {
        BatchFile file = new BatchFile(Ids.file(), batch.id() + "_" + kind + ".jsonl", BatchFile.OUTPUT,
                content.getBytes(StandardCharsets.UTF_8).length, now(), batch.owner());
        store.saveFile(file, content);
        return file.id();
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** Stores each line's result while the run goes on, and the stats at the end of each phase. */
    private final class Progress implements BatchEngine.Sink {

        private final BatchRecord base;
        private final StatsCounter stats = new StatsCounter();
        private final ModelLoads.Reading loadsBefore = loads.now();

        Progress(BatchRecord base) {
            this.base = base;
        }

        @Override
        public void answered(BatchLine line, ObjectNode completion) {
            store(line, true, BatchOutput.answered(line, completion));
        }

        @Override
        public void failed(BatchLine line, ApiException failure) {
            store(line, false, BatchOutput.failed(line, failure));
        }

        @Override
        public void progress() {
            if (!control.stopped()) {
                store.save(withStats());
            }
        }

        private void store(BatchLine line, boolean ok, String output) {
            // Once stopped, a line's outcome may be an interrupted call: it is left to be redone.
            if (!control.stopped()) {
                store.putResult(batchId, line.index(), ok, output);
            }
        }

        BatchRecord withStats() {
            return base.withStats(base.stats().plus(stats.snapshot(loads.now().since(loadsBefore))));
        }
    }
}
