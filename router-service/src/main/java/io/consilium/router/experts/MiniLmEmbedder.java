package io.consilium.router.experts;

import io.consilium.profiler.SentenceEncoder;
import io.consilium.registry.BuiltinEmbedder;
import io.consilium.registry.Embeddings;
import io.consilium.registry.Usage;
import java.util.List;

/**
 * The built-in embedding model {@value #MODEL}: the sentence encoder the skill classifier uses, in an instance
 * of its own that reads up to {@value #MAX_TOKENS} tokens of an input (the length the model was trained on; the
 * classifier reads fewer to keep routing fast). Vectors are unit length, {@code 384} dimensions.
 */
final class MiniLmEmbedder implements BuiltinEmbedder, AutoCloseable {

    /** The name experts of provider builtin give as their model. */
    static final String MODEL = "all-minilm-l6-v2";
    static final int MAX_TOKENS = 256;

    private final SentenceEncoder encoder;

    MiniLmEmbedder(SentenceEncoder encoder) {
        this.encoder = encoder;
    }

    @Override
    public int dimensions() {
        return encoder.dimension();
    }

    @Override
    public int maxInputTokens() {
        return MAX_TOKENS;
    }

    /**
     * Embeds the texts one by one. The model is quantized with activation scales computed over the whole input
     * tensor, so a text run in a padded batch comes out slightly different (cosine about 0.99) from the same text
     * run alone; a vector store needs one text to give one vector whatever it was sent with.
     */
    @Override
    public Embeddings embed(List<String> texts) {
        long tokens = texts.stream().mapToLong(encoder::tokenCount).sum();
        return new Embeddings(texts.stream().map(encoder::embed).toList(), new Usage(tokens, 0));
    }

    @Override
    public void close() {
        encoder.close();
    }
}
