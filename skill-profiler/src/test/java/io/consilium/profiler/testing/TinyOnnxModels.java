package io.consilium.profiler.testing;

import io.consilium.registry.testing.ProtoWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * Writes a tiny Hugging Face style sequence classifier, an ONNX model and its {@code tokenizer.json},
 * built entirely in code so tests need no downloaded files. The model mean-pools token embeddings
 * under the attention mask and applies one linear layer:
 * {@code logits = mean(E[ids] (+ T[type ids]) where mask = 1) · W + b}. The weights come back with the
 * files so a test can compute the expected logits on its own.
 */
@NullMarked
public final class TinyOnnxModels {

    /** Width of the token embeddings. */
    public static final int DIMENSION = 8;

    public static final String PAD = "[PAD]";
    public static final String UNK = "[UNK]";
    public static final String CLS = "[CLS]";
    public static final String SEP = "[SEP]";

    /** Ordinary words of the vocabulary, lowercase; anything else becomes {@link #UNK}. */
    public static final List<String> WORDS = List.of(
            "what", "is", "the", "a", "how", "do", "i", "to", "of", "in",
            "write", "code", "java", "python", "function", "solve", "equation", "derivative", "integral",
            "translate", "french", "poem", "about", "sea", "history", "war", "explain", "why", "sky", "blue");

    /** The vocabulary in id order: the special tokens, then {@link #WORDS}. */
    public static final List<String> VOCAB = concat(List.of(PAD, UNK, CLS, SEP), WORDS);

    private static final int IR_VERSION = 8;
    private static final int OPSET = 13;
    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private TinyOnnxModels() {}

    /**
     * Writes {@code model.onnx} and {@code tokenizer.json} into the directory.
     *
     * @param labels width of the logits output
     * @param withTokenTypeIds whether the model declares (and uses) a {@code token_type_ids} input
     * @param seed chooses the weights
     */
    public static TinyModel sequenceClassifier(Path dir, int labels, boolean withTokenTypeIds, long seed) {
        return sequenceClassifier(dir, Spec.of(labels, withTokenTypeIds, seed));
    }

    /** Writes {@code model.onnx} and {@code tokenizer.json}, shaped by the spec, into the directory. */
    public static TinyModel sequenceClassifier(Path dir, Spec spec) {
        Random random = new Random(spec.seed());
        float[][] embeddings = gaussian(random, VOCAB.size(), DIMENSION, 1);
        float[][] tokenTypeEmbeddings = spec.withTokenTypeIds() ? gaussian(random, 2, DIMENSION, 0.5) : null;
        float[][] weights = gaussian(random, DIMENSION, spec.labels(), spec.headScale());
        float[] bias = gaussian(random, 1, spec.labels(), 0.1 * spec.headScale())[0];
        try {
            Files.createDirectories(dir);
            Path model = Files.write(dir.resolve("model.onnx"),
                    modelBytes(spec, embeddings, tokenTypeEmbeddings, weights, bias));
            Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson());
            return new TinyModel(model, tokenizer, VOCAB, embeddings, tokenTypeEmbeddings, weights, bias);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tiny model into " + dir, e);
        }
    }

    /** Skill ids {@code skill.0 … skill.(count-1)}, one per logit. */
    public static List<String> labels(int count) {
        return IntStream.range(0, count).mapToObj(i -> "skill." + i).toList();
    }

    /**
     * A {@code tokenizer.json} for {@link #VOCAB}: a WordLevel model behind a Lowercase normaliser and
     * the Whitespace pre-tokenizer (runs of word characters, or of other non-space characters), and a
     * template adding {@code [CLS] … [SEP]}, every token with type id 0.
     */
    public static String tokenizerJson() {
        return tokenizerJson(true);
    }

    /**
     * As {@link #tokenizerJson()}, or without any post-processor when {@code withSpecialTokens} is false,
     * so that blank text encodes to no tokens at all.
     */
    public static String tokenizerJson(boolean withSpecialTokens) {
        StringBuilder addedTokens = new StringBuilder();
        StringBuilder vocab = new StringBuilder();
        for (int id = 0; id < VOCAB.size(); id++) {
            String token = VOCAB.get(id);
            if (id < 4) {
                addedTokens.append(addedTokens.isEmpty() ? "" : ",").append("""
                        {"id":%d,"content":"%s","single_word":false,"lstrip":false,"rstrip":false,\
                        "normalized":false,"special":true}""".formatted(id, token));
            }
            vocab.append(vocab.isEmpty() ? "" : ",").append('"').append(token).append("\":").append(id);
        }
        return """
                {
                  "version": "1.0",
                  "truncation": null,
                  "padding": null,
                  "added_tokens": [%s],
                  "normalizer": {"type": "Lowercase"},
                  "pre_tokenizer": {"type": "Whitespace"},
                  "post_processor": %s,
                  "decoder": null,
                  "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "[UNK]"}
                }
                """.formatted(addedTokens, withSpecialTokens ? template() : "null", vocab);
    }

    /** The TemplateProcessing post-processor that wraps a sentence in [CLS] … [SEP]. */
    private static String template() {
        return """
                {
                  "type": "TemplateProcessing",
                  "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                             {"Sequence": {"id": "A", "type_id": 0}},
                             {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                  "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                           {"Sequence": {"id": "A", "type_id": 0}},
                           {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                           {"Sequence": {"id": "B", "type_id": 1}},
                           {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                  "special_tokens": {
                    "[CLS]": {"id": "[CLS]", "ids": [%d], "tokens": ["[CLS]"]},
                    "[SEP]": {"id": "[SEP]", "ids": [%d], "tokens": ["[SEP]"]}
                  }
                }""".formatted(VOCAB.indexOf(CLS), VOCAB.indexOf(SEP));
    }

    /** The serialised ONNX ModelProto (field numbers from onnx.proto). */
    private static byte[] modelBytes(Spec spec, float[][] embeddings, float @Nullable [][] tokenTypeEmbeddings,
            float[][] weights, float[] bias) {
        String ids = spec.inputIdsName();
        String mask = spec.attentionMaskName();
        ProtoWriter graph = new ProtoWriter().string(2, "tiny_sequence_classifier");

        String vectors = "token_vectors";
        graph.message(1, ProtoWriter.node("Gather", List.of("embeddings", ids), vectors));
        if (tokenTypeEmbeddings != null) {
            graph.message(1, ProtoWriter.node("Gather", List.of("token_type_embeddings", "token_type_ids"), "type_vectors"));
            graph.message(1, ProtoWriter.node("Add", List.of(vectors, "type_vectors"), "vectors"));
            vectors = "vectors";
        }
        graph.message(1, ProtoWriter.node("Cast", List.of(mask), "mask_float", ProtoWriter.intAttribute("to", FLOAT)));
        graph.message(1, ProtoWriter.node("Unsqueeze", List.of("mask_float", "axis_2"), "mask_3d"));
        graph.message(1, ProtoWriter.node("Mul", List.of(vectors, "mask_3d"), "masked"));
        graph.message(1, ProtoWriter.node("ReduceSum", List.of("masked", "axis_1"), "summed", ProtoWriter.intAttribute("keepdims", 0)));
        graph.message(1, ProtoWriter.node("ReduceSum", List.of("mask_3d", "axis_1"), "counts", ProtoWriter.intAttribute("keepdims", 0)));
        graph.message(1, ProtoWriter.node("Div", List.of("summed", "counts"), "pooled"));
        graph.message(1, ProtoWriter.node("MatMul", List.of("pooled", "weights"), "projected"));
        graph.message(1, ProtoWriter.node("Add", List.of("projected", "bias"), spec.logitsName()));

        graph.message(5, floatTensor("embeddings", embeddings));
        if (tokenTypeEmbeddings != null) {
            graph.message(5, floatTensor("token_type_embeddings", tokenTypeEmbeddings));
        }
        graph.message(5, floatTensor("weights", weights));
        graph.message(5, floatTensor("bias", new float[][] {bias}, bias.length));
        graph.message(5, int64Tensor("axis_1", 1));
        graph.message(5, int64Tensor("axis_2", 2));

        graph.message(11, ProtoWriter.valueInfo(ids, INT64, "batch", "seq"));
        graph.message(11, ProtoWriter.valueInfo(mask, INT64, "batch", "seq"));
        if (tokenTypeEmbeddings != null) {
            graph.message(11, ProtoWriter.valueInfo("token_type_ids", INT64, "batch", "seq"));
        }
        if (spec.dynamicLabels()) {
            // declared as inputs too, the head's initializers become overridable defaults, so shape
            // inference cannot pin the label dimension and the session reports it as unknown (-1)
            graph.message(11, ProtoWriter.valueInfo("weights", FLOAT, DIMENSION, "labels"));
            graph.message(11, ProtoWriter.valueInfo("bias", FLOAT, "labels"));
        }
        if (spec.pooledOutputFirst()) {
            graph.message(12, ProtoWriter.valueInfo("pooled", FLOAT, "batch", DIMENSION));
        }
        graph.message(12, ProtoWriter.valueInfo(spec.logitsName(), FLOAT, "batch",
                spec.dynamicLabels() ? "labels" : spec.labels()));

        return new ProtoWriter()
                .varint(1, IR_VERSION)
                .string(2, "consilium-test")
                .string(3, "1")
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, OPSET))
                .toByteArray();
    }

    private static ProtoWriter floatTensor(String name, float[][] rows) {
        return floatTensor(name, rows, rows.length, rows[0].length);
    }

    /** Row-major floats as raw little-endian bytes, under the given dims. */
    private static ProtoWriter floatTensor(String name, float[][] rows, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(4 * rows.length * rows[0].length).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            for (float value : row) {
                raw.putFloat(value);
            }
        }
        return new ProtoWriter().packedInt64(1, dims).varint(2, FLOAT).string(8, name).bytes(9, raw.array());
    }

    /** A one-element int64 vector, the form Unsqueeze and ReduceSum take their axes in since opset 13. */
    private static ProtoWriter int64Tensor(String name, long value) {
        return new ProtoWriter().packedInt64(1, 1).varint(2, INT64).string(8, name).packedInt64(7, value);
    }

    private static float[][] gaussian(Random random, int rows, int columns, double scale) {
        float[][] values = new float[rows][columns];
        for (float[] row : values) {
            for (int c = 0; c < columns; c++) {
                row[c] = (float) (random.nextGaussian() * scale);
            }
        }
        return values;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    /**
     * How to shape the tiny model; {@link #of} gives the usual Hugging Face export, the withers the
     * variants tests need to exercise a loader's checks.
     *
     * @param labels width of the logits
     * @param withTokenTypeIds whether the model declares and uses {@code token_type_ids}
     * @param seed chooses the weights
     * @param dynamicLabels whether the logits' label dimension is symbolic instead of fixed
     * @param inputIdsName name of the token id input
     * @param attentionMaskName name of the attention mask input
     * @param logitsName name of the logits output
     * @param pooledOutputFirst whether a {@code pooled} [batch, {@value #DIMENSION}] output precedes the logits
     * @param headScale multiplies W and b; zero gives all-zero logits, a flat distribution
     */
    public record Spec(int labels, boolean withTokenTypeIds, long seed, boolean dynamicLabels, String inputIdsName,
            String attentionMaskName, String logitsName, boolean pooledOutputFirst, double headScale) {

        public Spec {
            if (labels < 1) {
                throw new IllegalArgumentException("labels must be at least 1, but was " + labels);
            }
            if (!(headScale >= 0)) {
                throw new IllegalArgumentException("headScale must not be negative, but was " + headScale);
            }
        }

        public static Spec of(int labels, boolean withTokenTypeIds, long seed) {
            return new Spec(labels, withTokenTypeIds, seed, false, "input_ids", "attention_mask", "logits", false, 1);
        }

        public Spec withDynamicLabels() {
            return new Spec(labels, withTokenTypeIds, seed, true, inputIdsName, attentionMaskName, logitsName,
                    pooledOutputFirst, headScale);
        }

        public Spec withInputIdsName(String name) {
            return new Spec(labels, withTokenTypeIds, seed, dynamicLabels, name, attentionMaskName, logitsName,
                    pooledOutputFirst, headScale);
        }

        public Spec withAttentionMaskName(String name) {
            return new Spec(labels, withTokenTypeIds, seed, dynamicLabels, inputIdsName, name, logitsName,
                    pooledOutputFirst, headScale);
        }

        public Spec withLogitsName(String name) {
            return new Spec(labels, withTokenTypeIds, seed, dynamicLabels, inputIdsName, attentionMaskName, name,
                    pooledOutputFirst, headScale);
        }

        public Spec withPooledOutputFirst() {
            return new Spec(labels, withTokenTypeIds, seed, dynamicLabels, inputIdsName, attentionMaskName,
                    logitsName, true, headScale);
        }

        public Spec withHeadScale(double scale) {
            return new Spec(labels, withTokenTypeIds, seed, dynamicLabels, inputIdsName, attentionMaskName,
                    logitsName, pooledOutputFirst, scale);
        }
    }

    /**
     * The written files and the weights inside them. The arrays are the model's own; do not change them.
     *
     * @param model the ONNX file
     * @param tokenizer the {@code tokenizer.json}
     * @param vocab tokens by id
     * @param embeddings E, [vocab, {@value #DIMENSION}]
     * @param tokenTypeEmbeddings T, [2, {@value #DIMENSION}], null when the model has no token type input
     * @param weights W, [{@value #DIMENSION}, labels]
     * @param bias b, [labels]
     */
    public record TinyModel(Path model, Path tokenizer, List<String> vocab, float[][] embeddings,
            float @Nullable [][] tokenTypeEmbeddings, float[][] weights, float[] bias) {}
}
