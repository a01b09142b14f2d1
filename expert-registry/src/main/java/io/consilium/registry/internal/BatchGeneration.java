package io.consilium.registry.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Generates the answers of several prompts together, one forward pass per token for the whole batch,
 * each sequence stopping on its own.
 *
 * <p>A model with a key/value cache runs the batch <em>left-padded</em>: every row's last token sits in
 * the same column, so one new column per step serves all rows, and the pads are hidden by the
 * attention mask and skipped by the position ids (each row counts positions from its first real
 * token). The prompt is fed in chunks so that the logits of a long prompt never take more than a
 * bounded buffer. The cache of one pass ({@code present.N.*}) is fed to the next as
 * {@code past_key_values.N.*} without leaving native memory.
 *
 * <p>A model without a cache reruns the whole sequences each step; the batch is then
 * <em>right-padded</em> and each row's next token is read at its own last real position, so padding
 * never shifts a position, and finished rows leave the batch.
 *
 * <p>Not thread-safe; close it to free the cache.
 */
final class BatchGeneration implements AutoCloseable {

    /** Logits one pass may produce, in floats: bounds the prompt chunk of a cached model. */
    private static final long LOGITS_BUDGET = 32L * 1024 * 1024;

    private final LocalModel model;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final DecoderSignature signature;
    private final List<GeneratedSequence> sequences;
    private final Set<String> presentNames = new LinkedHashSet<>();

    // cached models: the padded layout and what the cache holds
    private final int[] padding;
    private int columns;
    private int cached;
    private OrtSession.@Nullable Result cache;

    // logits land in memory we own, read without a copy
    private @Nullable ByteBuffer logitsMemory;
    private int vocab;

    BatchGeneration(LocalModel model, List<GeneratedSequence> sequences) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one sequence");
        }
        this.model = model;
        this.environment = model.environment();
        this.session = model.session();
        this.signature = model.signature();
        this.sequences = List.copyOf(sequences);
        this.vocab = (int) signature.vocab();
        for (int layer = 0; layer < signature.layers(); layer++) {
            presentNames.add(DecoderSignature.presentKey(layer));
            presentNames.add(DecoderSignature.presentValue(layer));
        }
        int longest = sequences.stream().mapToInt(GeneratedSequence::length).max().orElseThrow();
        this.padding = sequences.stream().mapToInt(s -> longest - s.length()).toArray();
        this.columns = longest;
    }

    /** Whether every sequence has finished. */
    boolean done() {
        return sequences.stream().allMatch(GeneratedSequence::finished);
    }

    /** Runs until every sequence has finished. */
    void run() throws OrtException {
        while (!done()) {
            step();
        }
    }

    /**
     * Generates one more token for every unfinished sequence.
     *
     * @throws OrtException when ONNX Runtime fails
     * @throws GenerationInterruptedException when the thread is interrupted between passes
     */
    void step() throws OrtException {
        if (done()) {
            return;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new GenerationInterruptedException();
        }
        if (signature.hasCache()) {
            cachedStep();
        } else {
            uncachedStep();
        }
    }

    private void cachedStep() throws OrtException {
        int batch = sequences.size();
        int chunk = 1;
        FloatBuffer logits = null;
        while (cached < columns) {
            chunk = (int) Math.max(1, Math.min(columns - cached, LOGITS_BUDGET / ((long) batch * Math.max(vocab, 1))));
            long[] ids = new long[batch * chunk];
            long[] positions = new long[batch * chunk];
            for (int row = 0; row < batch; row++) {
                for (int c = 0; c < chunk; c++) {
                    int column = cached + c;
                    int index = column - padding[row];
                    GeneratedSequence sequence = sequences.get(row);
                    // finished rows keep a column too (their output is ignored); a pad token fills it
                    ids[row * chunk + c] = index >= 0 && index < sequence.length() ? sequence.token(index) : 0;
                    positions[row * chunk + c] = Math.max(0, index);
                }
            }
            int total = cached + chunk;
            long[] mask = new long[batch * total];
            for (int row = 0; row < batch; row++) {
                for (int column = padding[row]; column < total; column++) {
                    mask[row * total + column] = 1;
                }
            }
            logits = forward(batch, chunk, ids, mask, positions);
            cached = total;
        }
        for (int row = 0; row < batch; row++) {
            GeneratedSequence sequence = sequences.get(row);
            if (!sequence.finished()) {
                int offset = (row * chunk + chunk - 1) * vocab;
                sequence.accept(sequence.sampler().pick(logits, offset, vocab));
            }
        }
        columns++;
    }

    private void uncachedStep() throws OrtException {
        List<GeneratedSequence> active = sequences.stream().filter(s -> !s.finished()).toList();
        int batch = active.size();
        int width = active.stream().mapToInt(GeneratedSequence::length).max().orElseThrow();
        long[] ids = new long[batch * width];
        long[] mask = new long[batch * width];
        long[] positions = new long[batch * width];
        for (int row = 0; row < batch; row++) {
            GeneratedSequence sequence = active.get(row);
            for (int column = 0; column < sequence.length(); column++) {
                ids[row * width + column] = sequence.token(column);
                mask[row * width + column] = 1;
                positions[row * width + column] = column;
            }
        }
        FloatBuffer logits = forward(batch, width, ids, mask, positions);
        for (int row = 0; row < batch; row++) {
            GeneratedSequence sequence = active.get(row);
            int offset = (row * width + sequence.length() - 1) * vocab;
            sequence.accept(sequence.sampler().pick(logits, offset, vocab));
        }
    }

    /** One pass over {@code [batch, length]} new tokens; returns the logits, {@code [batch, length, vocab]}. */
    private FloatBuffer forward(int batch, int length, long[] ids, long[] mask, long[] positions) throws OrtException {
        long[] shape = {batch, length};
        List<OnnxTensor> created = new ArrayList<>();
        try {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(DecoderSignature.INPUT_IDS, track(created, longs(ids, shape)));
            inputs.put(DecoderSignature.ATTENTION_MASK, track(created, longs(mask, new long[] {batch, mask.length / batch})));
            if (signature.positionIds()) {
                inputs.put(DecoderSignature.POSITION_IDS, track(created, longs(positions, shape)));
            }
            if (signature.useCacheBranch()) {
                inputs.put(DecoderSignature.USE_CACHE_BRANCH,
                        track(created, OnnxTensor.createTensor(environment, new boolean[] {cached > 0})));
            }
            for (int layer = 0; layer < signature.layers(); layer++) {
                inputs.put(DecoderSignature.pastKey(layer), past(DecoderSignature.presentKey(layer), batch, created));
                inputs.put(DecoderSignature.pastValue(layer), past(DecoderSignature.presentValue(layer), batch, created));
            }
            if (vocab > 0) {
                FloatBuffer target = logitsMemory((long) batch * length * vocab);
                OnnxTensor pinned = track(created, OnnxTensor.createTensor(environment, target,
                        new long[] {batch, length, vocab}));
                OrtSession.Result result = session.run(inputs, presentNames, Map.of(DecoderSignature.LOGITS, pinned));
                keepCache(result);
                return target;
            }
            // The vocabulary size is not declared: let ONNX Runtime size the logits, then copy them.
            Set<String> outputs = new LinkedHashSet<>(presentNames);
            outputs.add(DecoderSignature.LOGITS);
            OrtSession.Result result = session.run(inputs, outputs);
            FloatBuffer logits;
            try {
                logits = ((OnnxTensor) result.get(DecoderSignature.LOGITS).orElseThrow()).getFloatBuffer();
            } catch (RuntimeException e) {
                result.close();
                throw e;
            }
            vocab = logits.capacity() / (batch * length);
            keepCache(result);
            return logits;
        } finally {
            created.forEach(OnnxTensor::close);
        }
    }

    /** The previous pass's cache for a layer, or an empty one before the first pass. */
    private OnnxTensor past(String present, int batch, List<OnnxTensor> created) throws OrtException {
        if (cache != null) {
            return (OnnxTensor) cache.get(present).orElseThrow();
        }
        long[] shape = {batch, model.cacheHeads(), 0, model.cacheHeadDim()};
        return track(created, OnnxTensor.createTensor(environment, FloatBuffer.allocate(0), shape));
    }

    /** Keeps this pass's cache for the next one and frees the previous; a model without a cache keeps nothing. */
    private void keepCache(OrtSession.Result result) {
        OrtSession.Result previous = cache;
        cache = signature.hasCache() ? result : null;
        if (previous != null) {
            previous.close();
        }
        if (!signature.hasCache()) {
            result.close();
        }
    }

    private FloatBuffer logitsMemory(long floats) {
        if (floats > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalStateException("a pass would produce " + floats + " logits, more than one buffer holds");
        }
        int bytes = (int) floats * Float.BYTES;
        ByteBuffer memory = logitsMemory;
        if (memory == null || memory.capacity() < bytes) {
            memory = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            logitsMemory = memory;
        }
        return memory.duplicate().clear().limit(bytes).slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private OnnxTensor longs(long[] values, long[] shape) throws OrtException {
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(values), shape);
    }

    private static OnnxTensor track(List<OnnxTensor> created, OnnxTensor tensor) {
        created.add(tensor);
        return tensor;
    }

    @Override
    public void close() {
        OrtSession.Result last = cache;
        cache = null;
        if (last != null) {
            last.close();
        }
        logitsMemory = null;
    }

    /** The thread running the generation was interrupted: its caller gave up. */
    static final class GenerationInterruptedException extends RuntimeException {

        GenerationInterruptedException() {
            super("generation interrupted");
        }
    }
}
