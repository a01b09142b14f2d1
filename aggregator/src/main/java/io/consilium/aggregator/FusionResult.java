package io.consilium.aggregator;

import io.consilium.registry.ChatStream;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What fusion did and the answer it made: the text and tool calls, or, for a streamed synthesis, the
 * aggregator's open stream for the caller to relay and close.
 *
 * @param mode the fusion applied: {@link FusionMode#BEST} for a lone answer the plan meant to fuse,
 *     {@link FusionMode#VOTE} when the aggregator failed, else the plan's
 * @param consensus whether every answer said the same, so no fusion was needed
 * @param text the answer; null only when {@code stream} carries it; may be empty when the answer is tool calls;
 *     under JSON mode the bare JSON
 * @param stream the aggregator's open stream; null unless a streamed synthesis opened
 * @param aggregator how the aggregator call went; null when none was made
 * @param toolCalls the calls to the client's functions the answer makes, in order; empty when none (always for a
 *     stream, which carries its own)
 * @param author whose answer was taken: the chosen expert's id, or the aggregator's when its synthesis was used;
 *     null when not known (a result made by a caller without naming it)
 */
public record FusionResult(FusionMode mode, boolean consensus, @Nullable String text, @Nullable ChatStream stream,
        @Nullable AggregatorCall aggregator, List<ToolCall> toolCalls, @Nullable String author)
        implements FusionDecision {

    public FusionResult {
        if ((text == null) == (stream == null)) {
            throw new IllegalArgumentException("a fusion result carries either a text or a stream, but had "
                    + (text == null ? "neither" : "both"));
        }
        toolCalls = List.copyOf(toolCalls);
        if (stream != null && !toolCalls.isEmpty()) {
            throw new IllegalArgumentException("a streamed fusion result carries its tool calls on the stream, but had "
                    + toolCalls.size() + " besides it");
        }
    }

    /** A result in text only, or a stream, without a named author. */
    public FusionResult(FusionMode mode, boolean consensus, @Nullable String text, @Nullable ChatStream stream,
            @Nullable AggregatorCall aggregator) {
        this(mode, consensus, text, stream, aggregator, List.of(), null);
    }

    /**
     * The answer of a result that carries no stream: every result but an opened streamed synthesis. Empty when
     * the answer is tool calls alone.
     *
     * @throws IllegalStateException when the answer is still to come on the aggregator's stream
     */
    public String requireText() {
        if (text == null) {
            throw new IllegalStateException("the answer is still to come on the aggregator's stream");
        }
        return text;
    }

    /** Whether the answer calls the client's functions. */
    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }

    /** A result made without calling the aggregator, in text only, without a named author. */
    public static FusionResult decided(FusionMode mode, boolean consensus, String text) {
        return new FusionResult(mode, consensus, text, null, null);
    }

    /** A result made without calling the aggregator: the chosen answer, its tool calls and its expert. */
    public static FusionResult decided(FusionMode mode, boolean consensus, CandidateAnswer chosen) {
        return new FusionResult(mode, consensus, chosen.text(), null, null, chosen.toolCalls(), chosen.expertId());
    }
}
