package io.consilium.registry.internal;

import java.io.IOException;

/** A fetched answer was longer than its caller accepts; {@link UpstreamErrors} makes it a protocol failure. */
final class AnswerTooLargeException extends IOException {

    private final int maxBytes;

    AnswerTooLargeException(int maxBytes) {
        super("answer is longer than " + maxBytes + " bytes");
        this.maxBytes = maxBytes;
    }

    int maxBytes() {
        return maxBytes;
    }
}
