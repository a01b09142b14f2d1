package io.consilium.registry.internal;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.consilium.registry.internal.TensorSpec.ElementType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A decoder loaded into memory: its ONNX Runtime session, tokenizer and chat template. Safe for
 * concurrent generations; closed by the residency manager once no generation uses it.
 */
final class LocalModel implements AutoCloseable {

    private final LocalModelFiles files;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final ChatTemplate template;
    private final DecoderSignature signature;
    private final Set<Long> eosTokenIds;
    private final int cacheHeads;
    private final int cacheHeadDim;

    private LocalModel(LocalModelFiles files, OrtEnvironment environment, OrtSession session,
            HuggingFaceTokenizer tokenizer, DecoderSignature signature) {
        this.files = files;
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.signature = signature;
        this.template = new ChatTemplate(files.chatTemplate(), files.config().bosToken(), files.config().eosToken());
        this.eosTokenIds = eosIds(files.config(), tokenizer);
        this.cacheHeads = (int) (signature.cacheHeads() > 0 ? signature.cacheHeads() : files.config().kvHeads());
        this.cacheHeadDim = (int) (signature.cacheHeadDim() > 0 ? signature.cacheHeadDim() : files.config().headDim());
    }

    /**
     * Loads the model's session and tokenizer.
     *
     * @param intraOpThreads threads one forward pass may use
     * @throws MalformedModelException when the files cannot be loaded
     */
    static LocalModel load(LocalModelFiles files, OrtEnvironment environment, int intraOpThreads)
            throws MalformedModelException {
        HuggingFaceTokenizer tokenizer;
        try (InputStream in = Files.newInputStream(files.tokenizer())) {
            tokenizer = HuggingFaceTokenizer.newInstance(in, LocalModelFiles.TOKENIZER_OPTIONS);
        } catch (IOException | RuntimeException e) {
            throw new MalformedModelException(LocalModelFiles.TOKENIZER + " cannot be loaded: " + e.getMessage(), e);
        }
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            // By path, so that external weight files are found next to model.onnx.
            session = environment.createSession(files.model().toString(), options);
            DecoderSignature signature = DecoderSignature.of(specs(session.getInputInfo()), specs(session.getOutputInfo()));
            checkNoUnknownInputs(session.getInputNames(), signature);
            return new LocalModel(files, environment, session, tokenizer, signature);
        } catch (OrtException | MalformedModelException | RuntimeException e) {
            tokenizer.close();
            closeQuietly(session);
            if (e instanceof MalformedModelException malformed) {
                throw malformed;
            }
            throw new MalformedModelException(LocalModelFiles.MODEL + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    LocalModelFiles files() {
        return files;
    }

    OrtEnvironment environment() {
        return environment;
    }

    OrtSession session() {
        return session;
    }

    DecoderSignature signature() {
        return signature;
    }

    ChatTemplate template() {
        return template;
    }

    Set<Long> eosTokenIds() {
        return eosTokenIds;
    }

    /** Key/value heads of the cache tensors. */
    int cacheHeads() {
        return cacheHeads;
    }

    /** Width of one head in the cache tensors. */
    int cacheHeadDim() {
        return cacheHeadDim;
    }

    /** Token ids of prompt text; the chat template has already written the special tokens. */
    long[] encode(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    /** Text of token ids, special tokens left out. */
    String decode(long[] ids) {
        return ids.length == 0 ? "" : tokenizer.decode(ids, true);
    }

    @Override
    public void close() {
        closeQuietly(session);
        tokenizer.close();
    }

    private static Set<Long> eosIds(ModelConfig config, HuggingFaceTokenizer tokenizer) {
        Set<Long> ids = new LinkedHashSet<>(config.eosTokenIds());
        if (ids.isEmpty() && config.eosToken() != null) {
            long[] encoded = tokenizer.encode(config.eosToken(), false, false).getIds();
            if (encoded.length == 1) {
                ids.add(encoded[0]);
            }
        }
        return Set.copyOf(ids);
    }

    private static void checkNoUnknownInputs(Set<String> inputs, DecoderSignature signature)
            throws MalformedModelException {
        for (String input : inputs) {
            boolean known = input.equals(DecoderSignature.INPUT_IDS) || input.equals(DecoderSignature.ATTENTION_MASK)
                    || input.equals(DecoderSignature.POSITION_IDS) || input.equals(DecoderSignature.USE_CACHE_BRANCH)
                    || input.startsWith("past_key_values.");
            if (!known) {
                throw new MalformedModelException("model.onnx takes an input this runtime cannot feed: " + input
                        + " (known: input_ids, attention_mask, position_ids, past_key_values.N.key|value,"
                        + " use_cache_branch)");
            }
        }
        if (signature.hasCache() && signature.layers() * 2L != inputs.stream()
                .filter(name -> name.startsWith("past_key_values.")).count()) {
            throw new MalformedModelException("model.onnx has past_key_values inputs this runtime cannot match");
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : infos.values()) {
            ValueInfo info = node.getInfo();
            if (info instanceof TensorInfo tensor) {
                specs.add(new TensorSpec(node.getName(), elementType(tensor), tensor.getShape()));
            } else {
                specs.add(new TensorSpec(node.getName(), ElementType.OTHER, new long[0]));
            }
        }
        return specs;
    }

    private static ElementType elementType(TensorInfo tensor) {
        return switch (tensor.onnxType) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> ElementType.FLOAT;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> ElementType.FLOAT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> ElementType.BFLOAT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> ElementType.INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> ElementType.INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> ElementType.BOOL;
            default -> ElementType.OTHER;
        };
    }

    private static void closeQuietly(@Nullable OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                // the native memory is released all the same; nothing a caller could do
            }
        }
    }
}
