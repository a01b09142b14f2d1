package io.consilium.profiler;

import java.util.List;
import java.util.function.Supplier;

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
     * Reads a text in up to two passes: the first through a shorter window when the encoder has one and
     * the text is longer than it, the full reading ({@link #embed}) only when asked for. Encoders without
     * a shorter window read the text once.
     */
    default Reading read(String text) {
        return Reading.complete(embed(text));
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

    /** A text's embedding as first read, and its full reading, computed on demand. */
    final class Reading {

        private final float[] first;
        private final Supplier<float[]> full;
        private final boolean complete;

        private Reading(float[] first, Supplier<float[]> full, boolean complete) {
            this.first = first;
            this.full = full;
            this.complete = complete;
        }

        /** A reading that already read everything the full one would. */
        public static Reading complete(float[] embedding) {
            return new Reading(embedding, () -> embedding, true);
        }

        /** A partial first reading; {@code full} is called on each call of {@link #full()}. */
        public static Reading partial(float[] first, Supplier<float[]> full) {
            return new Reading(first, full, false);
        }

        public float[] first() {
            return first;
        }

        /** Whether the first reading read the whole text (as far as the full one would). */
        public boolean complete() {
            return complete;
        }

        /** The embedding of the full reading: the first one when that was complete. */
        public float[] full() {
            return full.get();
        }
    }
}
