package io.consilium.registry.internal;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local model directory in the Hugging Face / Optimum layout, checked without loading the weights:
 * {@code model.onnx} declares a decoder's inputs and outputs, {@code tokenizer.json} loads, the JSON
 * configs parse, and the chat template renders a one-message conversation.
 *
 * @param directory the model directory, absolute and normalised
 * @param signature what the model takes and gives
 * @param config what the JSON files say
 * @param chatTemplate the chat template's source
 * @param footprintBytes memory the loaded model is expected to take: its weight files' size
 */
record LocalModelFiles(Path directory, DecoderSignature signature, ModelConfig config, String chatTemplate,
        long footprintBytes) {

    static final String MODEL = "model.onnx";
    static final String TOKENIZER = "tokenizer.json";

    /** Tokenizer options: the chat template writes the special tokens itself, and nothing is cut or padded. */
    static final Map<String, String> TOKENIZER_OPTIONS = Map.of(
            "addSpecialTokens", "false", "padding", "false", "truncation", "false");

    Path model() {
        return directory.resolve(MODEL);
    }

    Path tokenizer() {
        return directory.resolve(TOKENIZER);
    }

    /**
     * Checks the directory.
     *
     * @throws MalformedModelException saying what is missing or wrong
     */
    static LocalModelFiles inspect(Path path, JsonMapper json) throws MalformedModelException {
        Path directory = path.toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new MalformedModelException("is not a directory");
        }
        Path model = directory.resolve(MODEL);
        if (!Files.isRegularFile(model)) {
            throw new MalformedModelException("has no " + MODEL);
        }
        DecoderSignature signature;
        try {
            OnnxGraphReader.Signature graph = OnnxGraphReader.read(model);
            signature = DecoderSignature.of(graph.inputs(), graph.outputs());
        } catch (IOException e) {
            throw new MalformedModelException(MODEL + " cannot be read: " + e.getMessage(), e);
        }
        checkTokenizer(directory.resolve(TOKENIZER));
        ModelConfig config = ModelConfig.read(directory, json);
        String template = ChatTemplate.find(directory,
                ModelConfig.readJson(directory.resolve(ModelConfig.TOKENIZER_CONFIG), json, false), json);
        try {
            new ChatTemplate(template, config.bosToken(), config.eosToken())
                    .render(json.readTree("[{\"role\":\"user\",\"content\":\"Hello\"}]"));
        } catch (IllegalArgumentException e) {
            throw new MalformedModelException("its chat template cannot render a conversation: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Jinjava fails with its own exceptions on templates it cannot parse.
            throw new MalformedModelException("its chat template cannot be parsed: " + e.getMessage(), e);
        }
        if (signature.hasCache() && (signature.cacheHeads() < 1 && config.kvHeads() < 1
                || signature.cacheHeadDim() < 1 && config.headDim() < 1)) {
            throw new MalformedModelException("the key/value cache's heads and head size are neither fixed in "
                    + MODEL + " nor given in " + ModelConfig.CONFIG + " (num_key_value_heads, head_dim)");
        }
        return new LocalModelFiles(directory, signature, config, template, footprint(directory, model));
    }

    private static void checkTokenizer(Path tokenizer) throws MalformedModelException {
        if (!Files.isRegularFile(tokenizer)) {
            throw new MalformedModelException("has no " + TOKENIZER);
        }
        try (InputStream in = Files.newInputStream(tokenizer);
                HuggingFaceTokenizer loaded = HuggingFaceTokenizer.newInstance(in, TOKENIZER_OPTIONS)) {
            loaded.encode("Hello", false, false);
        } catch (IOException | RuntimeException e) {
            throw new MalformedModelException(TOKENIZER + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    /**
     * The weights' size on disk: {@code model.onnx} and its external data files. Weights dominate what a
     * loaded decoder holds; the key/value cache and runtime buffers of a call come on top while it runs.
     */
    private static long footprint(Path directory, Path model) throws MalformedModelException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory,
                "{*.onnx_data,*.onnx.data}")) {
            long bytes = Files.size(model);
            for (Path data : files) {
                bytes += Files.size(data);
            }
            return bytes;
        } catch (IOException e) {
            throw new MalformedModelException("cannot be listed: " + e.getMessage(), e);
        }
    }
}
