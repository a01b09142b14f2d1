package io.consilium.registry.internal;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Turns generated tokens into text as they come. A token's text can depend on its neighbours (the
 * leading-space marker of SentencePiece, a character split over several byte tokens), so each new
 * token is decoded together with the few before it and only the text that grew is released; text that
 * still ends in a half character waits for the next token. This is the offset scheme of Hugging Face's
 * text-generation-inference.
 */
final class IncrementalDetokenizer {

    private static final char REPLACEMENT = '\uFFFD';

    private final Function<long[], String> decode;
    private long[] ids = new long[16];
    private int size;
    /** Start of the window decoded for context. */
    private int prefixOffset;
    /** End of the tokens whose text has been released. */
    private int readOffset;

    IncrementalDetokenizer(Function<long[], String> decode) {
        this.decode = decode;
    }

    /** Adds a token; returns the text it completes, possibly empty. */
    String next(long token) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = token;
        String released = decode.apply(Arrays.copyOfRange(ids, prefixOffset, readOffset));
        String current = decode.apply(Arrays.copyOfRange(ids, prefixOffset, size));
        if (current.length() > released.length() && current.charAt(current.length() - 1) != REPLACEMENT) {
            prefixOffset = readOffset;
            readOffset = size;
            return current.substring(released.length());
        }
        return "";
    }

    /** The text still held back at the end of the sequence, half characters and all. */
    String flush() {
        if (readOffset == size) {
            return "";
        }
        String released = decode.apply(Arrays.copyOfRange(ids, prefixOffset, readOffset));
        String current = decode.apply(Arrays.copyOfRange(ids, prefixOffset, size));
        prefixOffset = readOffset;
        readOffset = size;
        return current.length() > released.length() ? current.substring(released.length()) : "";
    }
}
