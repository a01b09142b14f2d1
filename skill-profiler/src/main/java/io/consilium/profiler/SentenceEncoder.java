package io.consilium.profiler;

import java.util.List;

/** Turns text into a fixed-size, L2-normalised sentence embedding. Thread-safe. */
public interface SentenceEncoder extends AutoCloseable {

    /**
     * Names the model and everything else that decides its embeddings (such as which tokens of a long
     * text are read), so that embeddings stored by one encoder are reused only by an identical one.
     */
    String id();

    /** Size of every embedding. */
    int dimension();

    /** The embedding of one text; input past the encoder's token cap is cut off. */
    float[] embed(String text);

    /** The embeddings of several texts, in order; encoders that can, run them as one batch. */
    default List<float[]> embedAll(List<String> texts) {
        return texts.stream().map(this::embed).toList();
    }

    /**
     * How many tokens of the text the encoder reads (after cutting it off at its cap). Encoders without a
     * tokenizer of their own estimate: a token per four characters.
     */
    default int tokenCount(String text) {
        return Math.max(1, (text.length() + 3) / 4);
    }

    @Override
    void close();
}
