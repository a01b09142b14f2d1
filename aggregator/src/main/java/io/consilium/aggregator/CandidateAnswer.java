package io.consilium.aggregator;

import io.consilium.registry.ChatCompletion;
import java.util.List;

/**
 * One expert's answer offered for fusion: its text, and the tool calls it made instead of or besides it.
 *
 * @param expertId who answered
 * @param text the full answer; may be empty when the expert answered with tool calls
 * @param weight how much the expert's word counts: its routing score for this request
 * @param toolCalls the calls to the client's functions the expert answered with, in order; empty when none
 */
public record CandidateAnswer(String expertId, String text, double weight, List<ToolCall> toolCalls) {

    public CandidateAnswer {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be a finite number >= 0, but was " + weight);
        }
        toolCalls = List.copyOf(toolCalls);
    }

    /** An answer in text only. */
    public CandidateAnswer(String expertId, String text, double weight) {
        this(expertId, text, weight, List.of());
    }

    /** The answer of a chat completion: the text and tool calls of its first choice. */
    public static CandidateAnswer of(String expertId, ChatCompletion completion, double weight) {
        return new CandidateAnswer(expertId, completion.text(), weight, ToolCall.inCompletion(completion));
    }

    /** Whether the expert answered with at least one tool call. */
    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }
}
