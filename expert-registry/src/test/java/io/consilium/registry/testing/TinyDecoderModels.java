package io.consilium.registry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * Writes a tiny decoder-only causal language model in the Hugging Face / Optimum layout, built entirely
 * in code so tests need no downloaded files: {@code model.onnx}, a word-level {@code tokenizer.json},
 * {@code config.json}, {@code generation_config.json} and {@code tokenizer_config.json} with a chat
 * template. The model is one attention layer:
 *
 * <pre>
 * h = E[ids] (+ P[position_ids])          q, k, v = h·Wq, h·Wk, h·Wv
 * a = softmax(q·kᵀ/√d, causal and attention-mask masked)·v
 * logits = tanh(h + a)·Wout + b
 * </pre>
 *
 * The variant with a key/value cache takes {@code past_key_values.0.key|value} ([batch, 1, past, d])
 * and returns {@code present.0.key|value} = past ⧺ new along the sequence axis; its attention reads the
 * cached keys and values, so a cache fed wrongly changes the logits. Both variants compute the same
 * function with the same seed. The weights come back with the files, with a plain-Java forward pass,
 * so tests can compute the expected tokens on their own.
 */
@NullMarked
public final class TinyDecoderModels {

    /** Width of the hidden state and of the single attention head. */
    public static final int HIDDEN = 16;
    /** Longest sequence the position embeddings cover (config.json's max_position_embeddings). */
    public static final int MAX_POSITIONS = 96;

    public static final String PAD = "<pad>";
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final String UNK = "<unk>";
    public static final String SYSTEM = "<|system|>";
    public static final String USER = "<|user|>";
    public static final String ASSISTANT = "<|assistant|>";
    public static final String END = "<|end|>";

    public static final List<String> SPECIAL = List.of(PAD, BOS, EOS, UNK, SYSTEM, USER, ASSISTANT, END);

    /** Ordinary words, lowercase; other words become {@link #UNK}. */
    public static final List<String> WORDS = List.of(
            "the", "a", "sea", "sky", "is", "blue", "green", "what", "why", "how", "cat", "dog", "runs", "sleeps",
            "and", "of", "to", "in", "water", "fish", "swim", "bird", "birds", "fly", "tree", "grows", "sun", "moon",
            "shines", "night", "day", "rain", "falls", "code", "java", "fast", "slow", "hello", "world", "you", "are",
            "helpful", "tell", "me", "about", "story", ",", ".", "?", "!");

    /** Tokens by id: the special tokens, then {@link #WORDS}. */
    public static final List<String> VOCAB = concat(SPECIAL, WORDS);

    /** Ids that end a sequence: {@code </s>} and {@code <|end|>}. */
    public static final Set<Long> EOS_IDS = Set.of((long) VOCAB.indexOf(EOS), (long) VOCAB.indexOf(END));

    /** The chat template, Hugging Face style. */
    public static final String CHAT_TEMPLATE = "{{ bos_token }}{% for message in messages %}"
            + "<|{{ message['role'] }}|> {{ message['content'] }} <|end|> {% endfor %}"
            + "{% if add_generation_prompt %}<|assistant|>{% endif %}";

    /** The seed of {@link #withKvCache} and {@link #withoutKvCache}, chosen so answers differ and some end early. */
    public static final long DEFAULT_SEED = 4;

    private static final int IR_VERSION = 8;
    private static final int OPSET = 14;
    private static final int FLOAT = 1;
    private static final int BOOL = 9;
    private static final int INT64 = 7;
    private static final int ATTRIBUTE_INTS = 7;
    private static final Pattern PIECES = Pattern.compile(
            "<\\|system\\|>|<\\|user\\|>|<\\|assistant\\|>|<\\|end\\|>|<pad>|<s>|</s>|<unk>|\\w+|[^\\w\\s]+");

    private TinyDecoderModels() {}

    /** The model with a key/value cache and position ids, default weights, written into the directory. */
    public static TinyDecoder withKvCache(Path dir) {
        return write(dir, Spec.withKvCache(DEFAULT_SEED));
    }

    /** The same model without a key/value cache, written into the directory. */
    public static TinyDecoder withoutKvCache(Path dir) {
        return write(dir, Spec.withoutKvCache(DEFAULT_SEED));
    }

    /** Writes the model directory the spec describes. */
    public static TinyDecoder write(Path dir, Spec spec) {
        Random random = new Random(spec.seed());
        float[][] tokenEmbeddings = gaussian(random, VOCAB.size(), HIDDEN, 1);
        float[][] positionEmbeddings = gaussian(random, MAX_POSITIONS, HIDDEN, 0.6);
        float[][] wq = gaussian(random, HIDDEN, HIDDEN, 0.6);
        float[][] wk = gaussian(random, HIDDEN, HIDDEN, 0.6);
        float[][] wv = gaussian(random, HIDDEN, HIDDEN, 0.6);
        float[][] wOut = gaussian(random, HIDDEN, VOCAB.size(), 1.2);
        float[] bias = new float[VOCAB.size()];
        for (String special : SPECIAL) {
            // the model never writes prompt markers; it may end with </s> or <|end|>
            bias[VOCAB.indexOf(special)] = EOS_IDS.contains((long) VOCAB.indexOf(special)) ? (float) spec.eosBias() : -20;
        }
        TinyDecoder model = new TinyDecoder(dir, spec, tokenEmbeddings,
                spec.positionIds() ? positionEmbeddings : null, wq, wk, wv, wOut, bias);
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("model.onnx"), modelBytes(model));
            Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson());
            Files.writeString(dir.resolve("config.json"), """
                    {"model_type": "tiny-decoder", "architectures": ["TinyDecoderForCausalLM"],
                     "vocab_size": %d, "hidden_size": %d, "num_hidden_layers": 1, "num_attention_heads": 1,
                     "num_key_value_heads": 1, "max_position_embeddings": %d,
                     "bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0, "use_cache": %s}
                    """.formatted(VOCAB.size(), HIDDEN, MAX_POSITIONS, spec.kvCache()));
            Files.writeString(dir.resolve("generation_config.json"), """
                    {"bos_token_id": 1, "eos_token_id": [%d, %d], "do_sample": false, "max_new_tokens": 24}
                    """.formatted(VOCAB.indexOf(EOS), VOCAB.indexOf(END)));
            Files.writeString(dir.resolve("tokenizer_config.json"), """
                    {"bos_token": "%s", "eos_token": {"content": "%s", "special": true}, "pad_token": "%s",
                     "unk_token": "%s", "model_max_length": %d, "chat_template": "%s"}
                    """.formatted(BOS, EOS, PAD, UNK, MAX_POSITIONS, CHAT_TEMPLATE.replace("\"", "\\\"")));
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tiny decoder into " + dir, e);
        }
    }

    /** The {@code tokenizer.json}: WordLevel over {@link #VOCAB}, lowercase, whitespace pre-tokenizer. */
    public static String tokenizerJson() {
        StringBuilder addedTokens = new StringBuilder();
        StringBuilder vocab = new StringBuilder();
        for (int id = 0; id < VOCAB.size(); id++) {
            String token = VOCAB.get(id);
            if (id < SPECIAL.size()) {
                addedTokens.append(addedTokens.isEmpty() ? "" : ",").append("""
                        {"id":%d,"content":"%s","single_word":false,"lstrip":false,"rstrip":false,\
                        "normalized":false,"special":true}""".formatted(id, token));
            }
            vocab.append(vocab.isEmpty() ? "" : ",").append('"').append(token.replace("\\", "\\\\"))
                    .append("\":").append(id);
        }
        return """
                {
                  "version": "1.0",
                  "truncation": null,
                  "padding": null,
                  "added_tokens": [%s],
                  "normalizer": {"type": "Lowercase"},
                  "pre_tokenizer": {"type": "Whitespace"},
                  "post_processor": null,
                  "decoder": null,
                  "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "%s"}
                }
                """.formatted(addedTokens, vocab, UNK);
    }

    /**
     * What the chat template renders for a conversation of (role, content) pairs with the assistant's
     * turn opened, written out by hand.
     */
    public static String prompt(String... rolesAndContents) {
        if (rolesAndContents.length % 2 != 0) {
            throw new IllegalArgumentException("roles and contents come in pairs, but got " + rolesAndContents.length);
        }
        StringBuilder prompt = new StringBuilder(BOS);
        for (int i = 0; i < rolesAndContents.length; i += 2) {
            prompt.append("<|").append(rolesAndContents[i]).append("|> ").append(rolesAndContents[i + 1])
                    .append(" <|end|> ");
        }
        return prompt.append(ASSISTANT).toString();
    }

    /** The ids the tokenizer gives the text, computed without it. */
    public static long[] encode(String text) {
        List<Long> ids = new ArrayList<>();
        Matcher pieces = PIECES.matcher(text);
        while (pieces.find()) {
            String piece = pieces.group();
            int id = SPECIAL.contains(piece) ? VOCAB.indexOf(piece) : VOCAB.indexOf(piece.toLowerCase(Locale.ROOT));
            ids.add((long) (id >= 0 ? id : VOCAB.indexOf(UNK)));
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /** The text of ids, special tokens left out, words joined by spaces (the tokenizer has no decoder). */
    public static String decode(long[] ids) {
        List<String> words = new ArrayList<>();
        for (long id : ids) {
            if (id >= SPECIAL.size()) {
                words.add(VOCAB.get((int) id));
            }
        }
        return String.join(" ", words);
    }

    /** The serialised ONNX ModelProto (field numbers from onnx.proto). */
    private static byte[] modelBytes(TinyDecoder model) {
        Spec spec = model.spec();
        ProtoWriter graph = new ProtoWriter().string(2, "tiny_decoder");
        graph.message(1, ProtoWriter.node("Gather", List.of("token_embeddings", "input_ids"), "token_vectors"));
        if (spec.positionIds()) {
            graph.message(1, ProtoWriter.node("Gather", List.of("position_embeddings", "position_ids"), "position_vectors"));
            graph.message(1, ProtoWriter.node("Add", List.of("token_vectors", "position_vectors"), "h"));
        } else {
            graph.message(1, ProtoWriter.node("Identity", List.of("token_vectors"), "h"));
        }
        graph.message(1, ProtoWriter.node("MatMul", List.of("h", "wq"), "q"));
        graph.message(1, ProtoWriter.node("MatMul", List.of("h", "wk"), "k"));
        graph.message(1, ProtoWriter.node("MatMul", List.of("h", "wv"), "v"));
        graph.message(1, ProtoWriter.node("Unsqueeze", List.of("q", "axes_1"), "q4"));
        graph.message(1, ProtoWriter.node("Unsqueeze", List.of("k", "axes_1"), "k4"));
        graph.message(1, ProtoWriter.node("Unsqueeze", List.of("v", "axes_1"), "v4"));
        String keys = "k4";
        String values = "v4";
        if (spec.kvCache()) {
            keys = "present.0.key";
            values = "present.0.value";
            graph.message(1, ProtoWriter.node("Concat", List.of("past_key_values.0.key", "k4"), keys, ProtoWriter.intAttribute("axis", 2)));
            graph.message(1, ProtoWriter.node("Concat", List.of("past_key_values.0.value", "v4"), values, ProtoWriter.intAttribute("axis", 2)));
        }
        graph.message(1, ProtoWriter.node("Transpose", List.of(keys), "keys_t", intsAttribute("perm", 0, 1, 3, 2)));
        graph.message(1, ProtoWriter.node("MatMul", List.of("q4", "keys_t"), "scores"));
        graph.message(1, ProtoWriter.node("Mul", List.of("scores", "scale"), "scaled"));
        // causal mask with an offset for the cached positions: key j is visible to query i when j <= past + i
        graph.message(1, ProtoWriter.node("Shape", List.of("input_ids"), "ids_shape"));
        graph.message(1, ProtoWriter.node("Gather", List.of("ids_shape", "index_1"), "new_length"));
        graph.message(1, ProtoWriter.node("Shape", List.of("attention_mask"), "mask_shape"));
        graph.message(1, ProtoWriter.node("Gather", List.of("mask_shape", "index_1"), "total_length"));
        graph.message(1, ProtoWriter.node("Sub", List.of("total_length", "new_length"), "past_length"));
        graph.message(1, ProtoWriter.node("Range", List.of("past_length", "total_length", "one"), "query_positions"));
        graph.message(1, ProtoWriter.node("Range", List.of("zero", "total_length", "one"), "key_positions"));
        graph.message(1, ProtoWriter.node("Unsqueeze", List.of("query_positions", "axes_1"), "query_column"));
        graph.message(1, ProtoWriter.node("Unsqueeze", List.of("key_positions", "axes_0"), "key_row"));
        graph.message(1, ProtoWriter.node("LessOrEqual", List.of("key_row", "query_column"), "causal"));
        graph.message(1, ProtoWriter.node("Cast", List.of("attention_mask"), "mask_bool", ProtoWriter.intAttribute("to", BOOL)));
        graph.message(1, ProtoWriter.node("Unsqueeze", List.of("mask_bool", "axes_1_2"), "mask_4d"));
        graph.message(1, ProtoWriter.node("And", List.of("causal", "mask_4d"), "visible"));
        graph.message(1, ProtoWriter.node("Where", List.of("visible", "scaled", "hidden_score"), "masked"));
        graph.message(1, ProtoWriter.node("Softmax", List.of("masked"), "weights", ProtoWriter.intAttribute("axis", -1)));
        graph.message(1, ProtoWriter.node("MatMul", List.of("weights", values), "attended_4d"));
        graph.message(1, ProtoWriter.node("Squeeze", List.of("attended_4d", "axes_1"), "attended"));
        graph.message(1, ProtoWriter.node("Add", List.of("h", "attended"), "mixed"));
        graph.message(1, ProtoWriter.node("Tanh", List.of("mixed"), "activated"));
        graph.message(1, ProtoWriter.node("MatMul", List.of("activated", "w_out"), "projected"));
        graph.message(1, ProtoWriter.node("Add", List.of("projected", "b_out"), "logits"));

        graph.message(5, floatTensor("token_embeddings", model.tokenEmbeddings()));
        if (model.positionEmbeddings() != null) {
            graph.message(5, floatTensor("position_embeddings", model.positionEmbeddings()));
        }
        graph.message(5, floatTensor("wq", model.wq()));
        graph.message(5, floatTensor("wk", model.wk()));
        graph.message(5, floatTensor("wv", model.wv()));
        graph.message(5, floatTensor("w_out", model.wOut()));
        graph.message(5, floatTensor("b_out", new float[][] {model.bias()}, model.bias().length));
        graph.message(5, floatTensor("scale", new float[][] {{(float) (1 / Math.sqrt(HIDDEN))}}));
        graph.message(5, floatTensor("hidden_score", new float[][] {{-1e9f}}));
        graph.message(5, int64Tensor("axes_0", new long[] {1}, 0));
        graph.message(5, int64Tensor("axes_1", new long[] {1}, 1));
        graph.message(5, int64Tensor("axes_1_2", new long[] {2}, 1, 2));
        graph.message(5, int64Tensor("index_1", new long[0], 1));
        graph.message(5, int64Tensor("zero", new long[0], 0));
        graph.message(5, int64Tensor("one", new long[0], 1));

        graph.message(11, ProtoWriter.valueInfo("input_ids", INT64, "batch_size", "sequence_length"));
        graph.message(11, ProtoWriter.valueInfo("attention_mask", INT64, "batch_size", "total_sequence_length"));
        if (spec.positionIds()) {
            graph.message(11, ProtoWriter.valueInfo("position_ids", INT64, "batch_size", "sequence_length"));
        }
        if (spec.kvCache()) {
            graph.message(11, ProtoWriter.valueInfo("past_key_values.0.key", FLOAT, "batch_size", 1, "past_sequence_length", HIDDEN));
            graph.message(11, ProtoWriter.valueInfo("past_key_values.0.value", FLOAT, "batch_size", 1, "past_sequence_length", HIDDEN));
        }
        graph.message(12, ProtoWriter.valueInfo("logits", FLOAT, "batch_size", "sequence_length", VOCAB.size()));
        if (spec.kvCache()) {
            graph.message(12, ProtoWriter.valueInfo("present.0.key", FLOAT, "batch_size", 1, "total_sequence_length", HIDDEN));
            graph.message(12, ProtoWriter.valueInfo("present.0.value", FLOAT, "batch_size", 1, "total_sequence_length", HIDDEN));
        }
        return new ProtoWriter()
                .varint(1, IR_VERSION)
                .string(2, "consilium-test")
                .string(3, "1")
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, OPSET))
                .toByteArray();
    }

    private static ProtoWriter intsAttribute(String name, long... values) {
        ProtoWriter attribute = new ProtoWriter().string(1, name);
        for (long value : values) {
            attribute.varint(8, value);
        }
        return attribute.varint(20, ATTRIBUTE_INTS);
    }

    private static ProtoWriter floatTensor(String name, float[][] rows) {
        return floatTensor(name, rows, rows.length, rows[0].length);
    }

    /** Row-major floats as raw little-endian bytes, under the given dims (none for a scalar). */
    private static ProtoWriter floatTensor(String name, float[][] rows, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(4 * rows.length * rows[0].length).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            for (float value : row) {
                raw.putFloat(value);
            }
        }
        boolean scalar = rows.length == 1 && rows[0].length == 1 && dims.length == 2 && dims[0] == 1 && dims[1] == 1;
        ProtoWriter tensor = new ProtoWriter();
        if (!scalar) {
            tensor.packedInt64(1, dims);
        }
        return tensor.varint(2, FLOAT).string(8, name).bytes(9, raw.array());
    }

    /** An int64 tensor of the given dims (none for a scalar). */
    private static ProtoWriter int64Tensor(String name, long[] dims, long... values) {
        ProtoWriter tensor = new ProtoWriter();
        if (dims.length > 0) {
            tensor.packedInt64(1, dims);
        }
        return tensor.varint(2, INT64).string(8, name).packedInt64(7, values);
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
     * How to shape the tiny decoder.
     *
     * @param kvCache whether it takes and returns a key/value cache
     * @param positionIds whether it takes {@code position_ids} (and adds position embeddings)
     * @param seed chooses the weights
     * @param eosBias bias of the end-of-sequence logits; higher ends answers sooner
     */
    public record Spec(boolean kvCache, boolean positionIds, long seed, double eosBias) {

        public static Spec withKvCache(long seed) {
            return new Spec(true, true, seed, 0.5);
        }

        public static Spec withoutKvCache(long seed) {
            return new Spec(false, true, seed, 0.5);
        }

        public Spec withoutPositionIds() {
            return new Spec(kvCache, false, seed, eosBias);
        }

        public Spec withEosBias(double bias) {
            return new Spec(kvCache, positionIds, seed, bias);
        }
    }

    /**
     * A written model directory and the weights inside it. The arrays are the model's own; do not
     * change them.
     *
     * @param directory where the files are
     * @param spec how it was shaped
     * @param tokenEmbeddings E, [vocab, {@value #HIDDEN}]
     * @param positionEmbeddings P, [{@value #MAX_POSITIONS}, {@value #HIDDEN}], null without position ids
     * @param wq query projection, [{@value #HIDDEN}, {@value #HIDDEN}]
     * @param wk key projection
     * @param wv value projection
     * @param wOut output projection, [{@value #HIDDEN}, vocab]
     * @param bias output bias, [vocab]
     */
    public record TinyDecoder(Path directory, Spec spec, float[][] tokenEmbeddings, float @Nullable [][] positionEmbeddings,
            float[][] wq, float[][] wk, float[][] wv, float[][] wOut, float[] bias) {

        /** The logits after the last token, computed in plain Java without any cache. */
        public double[] nextTokenLogits(long[] tokens) {
            int n = tokens.length;
            double[][] h = new double[n][HIDDEN];
            for (int t = 0; t < n; t++) {
                for (int d = 0; d < HIDDEN; d++) {
                    h[t][d] = tokenEmbeddings[(int) tokens[t]][d]
                            + (positionEmbeddings != null ? positionEmbeddings[t][d] : 0);
                }
            }
            double[] q = project(h[n - 1], wq);
            double[] scores = new double[n];
            double max = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < n; t++) {
                double[] k = project(h[t], wk);
                double dot = 0;
                for (int d = 0; d < HIDDEN; d++) {
                    dot += q[d] * k[d];
                }
                scores[t] = dot / Math.sqrt(HIDDEN);
                max = Math.max(max, scores[t]);
            }
            double total = 0;
            for (int t = 0; t < n; t++) {
                scores[t] = Math.exp(scores[t] - max);
                total += scores[t];
            }
            double[] attended = new double[HIDDEN];
            for (int t = 0; t < n; t++) {
                double[] v = project(h[t], wv);
                for (int d = 0; d < HIDDEN; d++) {
                    attended[d] += scores[t] / total * v[d];
                }
            }
            double[] activated = new double[HIDDEN];
            for (int d = 0; d < HIDDEN; d++) {
                activated[d] = Math.tanh(h[n - 1][d] + attended[d]);
            }
            double[] logits = new double[VOCAB.size()];
            for (int token = 0; token < logits.length; token++) {
                double sum = bias[token];
                for (int d = 0; d < HIDDEN; d++) {
                    sum += activated[d] * wOut[d][token];
                }
                logits[token] = sum;
            }
            return logits;
        }

        /** Greedy continuation of the prompt ids, up to and including an end-of-sequence id. */
        public long[] greedy(long[] prompt, int maxNewTokens) {
            long[] tokens = Arrays.copyOf(prompt, prompt.length + maxNewTokens);
            int length = prompt.length;
            for (int step = 0; step < maxNewTokens; step++) {
                double[] logits = nextTokenLogits(Arrays.copyOf(tokens, length));
                int best = 0;
                for (int token = 1; token < logits.length; token++) {
                    if (logits[token] > logits[best]) {
                        best = token;
                    }
                }
                tokens[length++] = best;
                if (EOS_IDS.contains((long) best)) {
                    break;
                }
            }
            return Arrays.copyOfRange(tokens, prompt.length, length);
        }

        /** The smallest gap between the best and second-best logit along the greedy continuation. */
        public double smallestGreedyMargin(long[] prompt, int maxNewTokens) {
            long[] answer = greedy(prompt, maxNewTokens);
            long[] tokens = Arrays.copyOf(prompt, prompt.length + answer.length);
            System.arraycopy(answer, 0, tokens, prompt.length, answer.length);
            double smallest = Double.POSITIVE_INFINITY;
            for (int length = prompt.length; length < tokens.length; length++) {
                double[] logits = nextTokenLogits(Arrays.copyOf(tokens, length));
                double[] sorted = logits.clone();
                Arrays.sort(sorted);
                smallest = Math.min(smallest, sorted[sorted.length - 1] - sorted[sorted.length - 2]);
            }
            return smallest;
        }

        private static double[] project(double[] vector, float[][] weights) {
            double[] out = new double[weights[0].length];
            for (int i = 0; i < vector.length; i++) {
                for (int j = 0; j < out.length; j++) {
                    out[j] += vector[i] * weights[i][j];
                }
            }
            return out;
        }
    }
}
