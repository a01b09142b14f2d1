package io.consilium.registry;

import java.util.List;

/**
 * An embedding model that runs inside this process, such as the sentence encoder the skill classifier uses.
 * Experts of provider {@link Provider#BUILTIN} name one by its model name. Thread-safe.
 */
public interface BuiltinEmbedder {

    /** The size of every vector it makes. */
    int dimensions();

    /** The most tokens of one input it reads; the rest of a longer input is cut off, as sentence encoders do. */
    int maxInputTokens();

    /**
     * The unit-length vectors of the texts, in order, and the tokens it read of them.
     *
     * @throws RuntimeException when the model fails
     */
    Embeddings embed(List<String> texts);
}
