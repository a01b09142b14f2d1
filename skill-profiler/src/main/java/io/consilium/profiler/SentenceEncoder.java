package io.consilium.profiler;

import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
     * Reads a text for classification: through a shorter window first when the encoder has one and the text
     * is longer than it, with a second reading of the text's opening computed only when asked for. Encoders
     * without a shorter window read the text once, as {@link #embed} does.
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

    /** A text's embedding as first read, and the embedding of its opening, computed on demand. */
    final class Reading {

        private final float[] first;
        private final @Nullable Supplier<float[]> opening;

        private Reading(float[] first, @Nullable Supplier<float[]> opening) {
            this.first = first;
            this.opening = opening;
        }

        /** A reading of the whole text (as far as the encoder reads any text): there is nothing more to read. */
        public static Reading complete(float[] embedding) {
            return new Reading(embedding, null);
        }

        /** A first reading of part of the text; {@code opening} reads its opening on each call of {@link #opening()}. */
        public static Reading partial(float[] first, Supplier<float[]> opening) {
            return new Reading(first, opening);
        }

        public float[] first() {
            return first;
        }

        /** Whether the first reading read the whole text (as far as {@link #embed} would). */
        public boolean complete() {
            return opening == null;
        }

        /**
         * The embedding of the text's opening, as written.
         *
         * @throws IllegalStateException for a complete reading, which has none
         */
        public float[] opening() {
            if (opening == null) {
                throw new IllegalStateException("a complete reading has no second reading");
            }
            return opening.get();
        }
    }
}
