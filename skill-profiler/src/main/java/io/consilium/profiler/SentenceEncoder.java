package io.consilium.profiler;

/** Turns text into a fixed-size, L2-normalised sentence embedding. Thread-safe. */
public interface SentenceEncoder extends AutoCloseable {

    /** Size of every embedding. */
    int dimension();

    /** The embedding of one text; input past the encoder's token cap is cut off. */
    float[] embed(String text);

    @Override
    void close();
}
