package io.consilium.aggregator;

import io.consilium.registry.ChatStream;
import org.jspecify.annotations.Nullable;

/**
 * What fusion did and the answer it made: the text, or, for a streamed synthesis, the aggregator's open
 * stream for the caller to relay and close.
 *
 * @param mode the fusion applied: {@link FusionMode#BEST} for a lone answer the plan meant to fuse,
 *     {@link FusionMode#VOTE} when the aggregator failed, else the plan's
 * @param consensus whether every answer said the same, so no fusion was needed
 * @param text the answer; null only when {@code stream} carries it
 * @param stream the aggregator's open stream; null unless a streamed synthesis opened
 * @param aggregator how the aggregator call went; null when none was made
 */
public record FusionResult(FusionMode mode, boolean consensus, @Nullable String text, @Nullable ChatStream stream,
        @Nullable AggregatorCall aggregator) implements FusionDecision {

    public FusionResult {
        if ((text == null) == (stream == null)) {
            throw new IllegalArgumentException("a fusion result carries either a text or a stream, but had "
                    + (text == null ? "neither" : "both"));
        }
    }

    /**
     * The answer of a result that carries no stream: every result but an opened streamed synthesis.
     *
     * @throws IllegalStateException when the answer is still to come on the stream
     */
    public String requireText() {
        if (text == null) {
            throw new IllegalStateException("the answer is still to come on the aggregator's stream");
        }
        return text;
    }

    /** A result made without calling the aggregator. */
    public static FusionResult decided(FusionMode mode, boolean consensus, String text) {
        return new FusionResult(mode, consensus, text, null, null);
    }
}
