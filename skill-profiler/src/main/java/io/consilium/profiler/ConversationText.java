package io.consilium.profiler;

import io.consilium.registry.ChatRequest;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What the classifier reads of a chat conversation: the last user turn, which is what the request is
 * about, preceded by a short piece of the user's turn before it when there is one, because a follow-up
 * ("and what about the second one?") only has a topic in context. The system prompt is left out: it is
 * usually a generic persona or an app's instructions, unrelated to what this request needs. Assistant
 * turns are left out too; they answer, they do not ask.
 */
public final class ConversationText {

    /** Characters kept of the earlier user turn; enough for its topic, short enough not to dominate. */
    static final int EARLIER_TURN_CHARS = 400;

    private ConversationText() {}

    /**
     * The text to classify for an OpenAI-style messages array; empty when no message has text.
     *
     * @param messages the {@code messages} of a chat request
     */
    public static String of(JsonNode messages) {
        List<String> userTurns = new ArrayList<>();
        List<String> otherTurns = new ArrayList<>();
        for (JsonNode message : messages) {
            String text = ChatRequest.contentText(message.path("content"));
            if (text.isBlank()) {
                continue;
            }
            if ("user".equals(message.path("role").asString(""))) {
                userTurns.add(text.strip());
            } else {
                otherTurns.add(text.strip());
            }
        }
        if (userTurns.isEmpty()) {
            return String.join("\n", otherTurns);
        }
        return of(userTurns);
    }

    /**
     * The text to classify for the user's turns of a conversation, in order.
     *
     * @param userTurns the user's messages, oldest first; the last is the request
     */
    public static String of(List<String> userTurns) {
        if (userTurns.isEmpty()) {
            return "";
        }
        String last = userTurns.getLast();
        if (userTurns.size() == 1) {
            return last;
        }
        String earlier = userTurns.get(userTurns.size() - 2);
        if (earlier.length() > EARLIER_TURN_CHARS) {
            earlier = earlier.substring(0, EARLIER_TURN_CHARS);
        }
        return earlier + "\n\n" + last;
    }

}
