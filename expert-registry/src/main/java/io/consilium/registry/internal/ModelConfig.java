package io.consilium.registry.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a local model's JSON files say about generation: {@code config.json} (cache shape, context
 * length, end-of-sequence id), {@code generation_config.json} (end-of-sequence ids and sampling
 * defaults, optional) and {@code tokenizer_config.json} (special tokens for the chat template).
 *
 * @param eosTokenIds ids that end a sequence, from {@code generation_config.json} else {@code config.json}
 * @param bosToken the beginning-of-sequence token text, for the chat template
 * @param eosToken the end-of-sequence token text, for the chat template and as a last resort for the eos id
 * @param maxPositions the model's context length, 0 when not declared
 * @param kvHeads key/value heads per layer, 0 when not declared
 * @param headDim width of one attention head, 0 when not declared
 * @param defaults generation defaults of the model's authors
 */
record ModelConfig(Set<Long> eosTokenIds, @Nullable String bosToken, @Nullable String eosToken, int maxPositions,
        int kvHeads, int headDim, GenerationDefaults defaults) {

    static final String CONFIG = "config.json";
    static final String GENERATION_CONFIG = "generation_config.json";
    static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    ModelConfig {
        eosTokenIds = Set.copyOf(eosTokenIds);
    }

    /**
     * Sampling defaults from {@code generation_config.json}; null where it says nothing.
     *
     * @param doSample whether the authors meant the model to be sampled rather than decoded greedily
     */
    record GenerationDefaults(boolean doSample, @Nullable Double temperature, @Nullable Double topP,
            @Nullable Integer topK, @Nullable Integer maxNewTokens) {

        static final GenerationDefaults NONE = new GenerationDefaults(false, null, null, null, null);
    }

    /**
     * Reads the JSON files of a model directory.
     *
     * @throws MalformedModelException when {@code config.json} is missing or a file is not valid JSON
     */
    static ModelConfig read(Path directory, JsonMapper json) throws MalformedModelException {
        JsonNode config = readJson(directory.resolve(CONFIG), json, true);
        JsonNode generation = readJson(directory.resolve(GENERATION_CONFIG), json, false);
        JsonNode tokenizer = readJson(directory.resolve(TOKENIZER_CONFIG), json, false);

        Set<Long> eos = tokenIds(generation.path("eos_token_id"));
        if (eos.isEmpty()) {
            eos = tokenIds(config.path("eos_token_id"));
        }
        // Multimodal and some newer exports nest the language model's settings under text_config.
        JsonNode text = config.path("text_config").isObject() ? config.path("text_config") : config;
        int heads = text.path("num_attention_heads").asInt(0);
        int kvHeads = text.path("num_key_value_heads").asInt(heads);
        int hidden = text.path("hidden_size").asInt(0);
        int headDim = text.path("head_dim").asInt(heads > 0 && hidden % heads == 0 ? hidden / heads : 0);
        GenerationDefaults defaults = new GenerationDefaults(
                generation.path("do_sample").asBoolean(false),
                number(generation, "temperature"),
                number(generation, "top_p"),
                generation.path("top_k").isIntegralNumber() ? generation.path("top_k").asInt() : null,
                generation.path("max_new_tokens").isIntegralNumber() ? generation.path("max_new_tokens").asInt() : null);
        return new ModelConfig(eos, tokenText(tokenizer.path("bos_token")), tokenText(tokenizer.path("eos_token")),
                text.path("max_position_embeddings").asInt(0), kvHeads, headDim, defaults);
    }

    /** Reads a JSON object; a missing optional file reads as an empty object. */
    static JsonNode readJson(Path file, JsonMapper json, boolean required) throws MalformedModelException {
        if (!Files.exists(file)) {
            if (required) {
                throw new MalformedModelException(file.getFileName() + " is missing");
            }
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(Files.readString(file));
            if (!node.isObject()) {
                throw new MalformedModelException(file.getFileName() + " is not a JSON object");
            }
            return node;
        } catch (IOException | JacksonException e) {
            throw new MalformedModelException(file.getFileName() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** An id or a list of ids, as Hugging Face configs write {@code eos_token_id}. */
    private static Set<Long> tokenIds(JsonNode node) {
        Set<Long> ids = new LinkedHashSet<>();
        if (node.isIntegralNumber()) {
            ids.add(node.asLong());
        } else if (node.isArray()) {
            for (JsonNode id : node) {
                if (id.isIntegralNumber()) {
                    ids.add(id.asLong());
                }
            }
        }
        return ids;
    }

    /** A token written as text or, in older files, as an added-token object with its text in content. */
    private static @Nullable String tokenText(JsonNode node) {
        if (node.isString()) {
            return node.asString();
        }
        return node.path("content").isString() ? node.path("content").asString() : null;
    }

    private static @Nullable Double number(JsonNode node, String field) {
        return node.path(field).isNumber() ? node.path(field).asDouble() : null;
    }
}
