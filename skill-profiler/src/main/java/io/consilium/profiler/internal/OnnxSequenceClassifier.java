package io.consilium.profiler.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.consilium.profiler.ClassifierException;
import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillVector;
import io.consilium.profiler.UncertaintyThresholds;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A bring-your-own Hugging Face sequence-classification model exported to ONNX ({@code input_ids},
 * {@code attention_mask}, optionally {@code token_type_ids} in; logits [batch, labels] out), with its
 * {@code tokenizer.json}. Everything that can be checked without a query is checked on load, so a bad
 * deployment fails at start-up rather than on the first request. Thread-safe: ONNX Runtime sessions
 * and the Rust tokenizer both allow concurrent calls.
 */
public final class OnnxSequenceClassifier implements QueryClassifier, AutoCloseable {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String LOGITS = "logits";
    private static final int MAX_TOKENS_LIMIT = 8192;

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final Path modelFile;
    private final List<String> labels;
    private final UncertaintyThresholds thresholds;
    private final HuggingFaceTokenizer tokenizer;
    private final OrtSession session;
    private final boolean takesTokenTypeIds;
    private final String outputName;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OnnxSequenceClassifier(Path modelFile, List<String> labels, UncertaintyThresholds thresholds,
            HuggingFaceTokenizer tokenizer, OrtSession session) throws OrtException {
        this.modelFile = modelFile;
        this.labels = labels;
        this.thresholds = thresholds;
        this.tokenizer = tokenizer;
        this.session = session;
        this.takesTokenTypeIds = checkInputs(session.getInputInfo());
        this.outputName = chooseOutput(session.getOutputInfo());
    }

    /**
     * Loads the model and its tokenizer and checks that they fit together and with the labels.
     *
     * @param labels the skill id of each logit, in logit order
     * @param maxTokens tokens kept per query, special tokens included; longer queries are truncated
     * @param intraOpThreads threads one inference may use
     * @throws ClassifierException naming the file and what is wrong with it
     */
    public static OnnxSequenceClassifier load(Path modelFile, Path tokenizerFile, List<String> labels,
            UncertaintyThresholds thresholds, int maxTokens, int intraOpThreads) {
        if (maxTokens < 8 || maxTokens > MAX_TOKENS_LIMIT) {
            throw new IllegalArgumentException(
                    "maxTokens must be between 8 and " + MAX_TOKENS_LIMIT + ", but was " + maxTokens);
        }
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1, but was " + intraOpThreads);
        }
        List<String> checkedLabels = checkLabels(labels, modelFile);
        requireReadableFile(modelFile, "model");
        requireReadableFile(tokenizerFile, "tokenizer");

        HuggingFaceTokenizer tokenizer = loadTokenizer(tokenizerFile, maxTokens);
        OrtSession session;
        try {
            session = loadSession(modelFile, intraOpThreads);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        try {
            return new OnnxSequenceClassifier(modelFile, checkedLabels, thresholds, tokenizer, session);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            tokenizer.close();
            if (e instanceof ClassifierException classifierException) {
                throw classifierException;
            }
            throw new ClassifierException("cannot read the inputs and outputs of ONNX model " + modelFile + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public SkillVector classify(String text) {
        Encoding encoding;
        try {
            encoding = tokenizer.encode(text);
        } catch (RuntimeException e) {
            throw new ClassifierException("tokenizing for ONNX model " + modelFile + " failed: " + e.getMessage(), e);
        }
        long[] ids = encoding.getIds();
        if (ids.length == 0) {
            // a tokenizer without special tokens turns blank text into nothing; the model cannot pool it
            double[] uniform = new double[labels.size()];
            Arrays.fill(uniform, 1.0 / labels.size());
            return new SkillVector(SkillVector.of(labels, uniform, thresholds).skills(), true);
        }
        float[] logits = run(ids, encoding.getAttentionMask(), encoding.getTypeIds());
        return SkillVector.of(labels, Softmax.of(logits, 1.0), thresholds);
    }

    private float[] run(long[] ids, long[] mask, long[] typeIds) {
        try (OnnxTensor inputIds = OnnxTensor.createTensor(environment, new long[][] {ids});
                OnnxTensor attentionMask = OnnxTensor.createTensor(environment, new long[][] {mask});
                @Nullable OnnxTensor tokenTypeIds = takesTokenTypeIds
                        ? OnnxTensor.createTensor(environment, new long[][] {typeIds})
                        : null) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(INPUT_IDS, inputIds);
            inputs.put(ATTENTION_MASK, attentionMask);
            if (tokenTypeIds != null) {
                inputs.put(TOKEN_TYPE_IDS, tokenTypeIds);
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(outputName))) {
                OnnxValue output = result.get(outputName).orElseThrow(() -> new ClassifierException(
                        "ONNX model " + modelFile + " returned no output '" + outputName + "'"));
                return logitsOf(output);
            }
        } catch (OrtException e) {
            throw new ClassifierException("inference with ONNX model " + modelFile + " failed: " + e.getMessage(), e);
        }
    }

    /** The single row of a [1, labels] float output, checked against the labels every time (cheap). */
    private float[] logitsOf(OnnxValue output) {
        if (!(output instanceof OnnxTensor tensor) || tensor.getInfo().type != OnnxJavaType.FLOAT) {
            throw new ClassifierException("ONNX model " + modelFile + " output '" + outputName
                    + "' is not a float tensor: " + output.getInfo());
        }
        long[] shape = tensor.getInfo().getShape();
        if (shape.length != 2 || shape[0] != 1 || shape[1] != labels.size()) {
            throw new ClassifierException("ONNX model " + modelFile + " output '" + outputName + "' has shape "
                    + Arrays.toString(shape) + " but " + labels.size() + " labels were configured, expected [1, "
                    + labels.size() + "]");
        }
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] logits = new float[labels.size()];
        buffer.get(logits);
        return logits;
    }

    /** Whether the model takes token type ids; fails on missing required inputs or unknown ones. */
    private boolean checkInputs(Map<String, NodeInfo> inputs) {
        for (String required : List.of(INPUT_IDS, ATTENTION_MASK)) {
            if (!inputs.containsKey(required)) {
                throw new ClassifierException("ONNX model " + modelFile + " lacks the input '" + required
                        + "'; it has " + inputs.keySet());
            }
        }
        for (NodeInfo input : inputs.values()) {
            if (!Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS).contains(input.getName())) {
                throw new ClassifierException("ONNX model " + modelFile + " has an input '" + input.getName()
                        + "' this classifier cannot fill; it supports " + INPUT_IDS + ", " + ATTENTION_MASK
                        + " and " + TOKEN_TYPE_IDS);
            }
            if (!(input.getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.INT64) {
                throw new ClassifierException("ONNX model " + modelFile + " input '" + input.getName()
                        + "' must be an int64 tensor, but is " + input.getInfo());
            }
        }
        return inputs.containsKey(TOKEN_TYPE_IDS);
    }

    /**
     * The output named {@value #LOGITS}, else the first, after checking it is a float [batch, labels]
     * tensor. A symbolic label dimension (-1) cannot be checked here; {@link #logitsOf} checks it per call.
     */
    private String chooseOutput(Map<String, NodeInfo> outputs) {
        NodeInfo output = outputs.containsKey(LOGITS)
                ? outputs.get(LOGITS)
                : outputs.values().stream().findFirst().orElseThrow(
                        () -> new ClassifierException("ONNX model " + modelFile + " has no outputs"));
        if (!(output.getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.FLOAT) {
            throw new ClassifierException("ONNX model " + modelFile + " output '" + output.getName()
                    + "' must be a float tensor, but is " + output.getInfo());
        }
        long[] shape = info.getShape();
        if (shape.length != 2) {
            throw new ClassifierException("ONNX model " + modelFile + " output '" + output.getName()
                    + "' must be logits shaped [batch, labels], but has shape " + Arrays.toString(shape));
        }
        if (shape[1] >= 0 && shape[1] != labels.size()) {
            throw new ClassifierException("ONNX model " + modelFile + " output '" + output.getName() + "' has "
                    + shape[1] + " logits but " + labels.size() + " labels were configured");
        }
        return output.getName();
    }

    /** Closes the session and the tokenizer; call once in-flight classifications have finished. */
    @Override
    public void close() {
        // ORT refuses to close a session twice; AutoCloseable asks for idempotence
        if (closed.compareAndSet(false, true)) {
            closeQuietly(session);
            tokenizer.close();
        }
    }

    private static List<String> checkLabels(List<String> labels, Path modelFile) {
        if (labels.isEmpty()) {
            throw new ClassifierException("no labels configured for ONNX model " + modelFile);
        }
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (String label : labels) {
            if (label.isBlank()) {
                throw new ClassifierException("labels for ONNX model " + modelFile + " contain a blank label: "
                        + labels);
            }
            if (!seen.add(label)) {
                duplicates.add(label);
            }
        }
        if (!duplicates.isEmpty()) {
            throw new ClassifierException("labels for ONNX model " + modelFile + " contain duplicates " + duplicates);
        }
        return List.copyOf(labels);
    }

    private static void requireReadableFile(Path file, String role) {
        if (!Files.exists(file)) {
            throw new ClassifierException(role + " file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new ClassifierException(role + " file " + file + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new ClassifierException(role + " file " + file + " is not readable");
        }
    }

    private static HuggingFaceTokenizer loadTokenizer(Path tokenizerFile, int maxTokens) {
        try {
            // modelMaxLength too: DJL otherwise caps maxLength at 512 without failing
            return HuggingFaceTokenizer.newInstance(tokenizerFile, Map.of(
                    "truncation", "true",
                    "maxLength", Integer.toString(maxTokens),
                    "modelMaxLength", Integer.toString(maxTokens),
                    "padding", "false",
                    "addSpecialTokens", "true"));
        } catch (IOException e) {
            throw new ClassifierException("cannot read tokenizer file " + tokenizerFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // the Rust tokenizer reports malformed JSON and unknown components as plain RuntimeExceptions
            throw new ClassifierException("tokenizer file " + tokenizerFile + " is not a valid tokenizer.json: "
                    + e.getMessage(), e);
        }
    }

    private static OrtSession loadSession(Path modelFile, int intraOpThreads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            // from the path, not bytes, so models with external weight files next to them load too
            return OrtEnvironment.getEnvironment().createSession(modelFile.toString(), options);
        } catch (OrtException e) {
            throw new ClassifierException("cannot load ONNX model " + modelFile
                    + " (not a valid ONNX model?): " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // releasing native memory; nothing useful left to do with the failure
        }
    }
}
