package io.consilium.registry;

import java.util.List;

/**
 * The vectors an expert made for a request, one per input in input order, and the tokens it read.
 *
 * @param vectors one vector per input; all of one size
 * @param usage the input tokens as {@code promptTokens}; embeddings complete nothing
 */
public record Embeddings(List<float[]> vectors, Usage usage) {

    public Embeddings {
        vectors = List.copyOf(vectors);
    }

    /** The size of the vectors, 0 when there are none. */
    public int dimensions() {
        return vectors.isEmpty() ? 0 : vectors.getFirst().length;
    }
}
