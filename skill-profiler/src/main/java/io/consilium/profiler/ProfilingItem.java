package io.consilium.profiler;

import java.util.List;
import io.consilium.registry.ChatRequest;
import tools.jackson.databind.node.ArrayNode;

/**
 * One validation question with its reference answer.
 *
 * @param id unique within a job
 * @param messages the conversation to send, OpenAI chat messages (a plain question becomes one user message)
 * @param answer the reference answer: a letter, a number, text, a regular expression, or guidance for a judge
 * @param answerType how the answer is checked
 * @param skills the skills the item exercises; empty means the classifier decides
 */
public record ProfilingItem(String id, ArrayNode messages, String answer, AnswerType answerType, List<String> skills) {

    public ProfilingItem {
        skills = List.copyOf(skills);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("item '" + id + "' has no messages");
        }
    }

    /** The text of the last user message: what the item asks. */
    public String question() {
        return ChatRequest.lastUserText(messages);
    }
}
