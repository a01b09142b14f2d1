package io.consilium.router.routing;

import io.consilium.registry.ChatRequest;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Finds the expert a tool conversation belongs to: the maker of the tool calls in the conversation's last
 * assistant message that made any, as remembered when the answer carrying them was sent.
 */
final class ConversationAffinity {

    private final ToolCallMakers makers;

    ConversationAffinity(ToolCallMakers makers) {
        this.makers = makers;
    }

    Optional<Affinity> of(ChatRequest request) {
        JsonNode messages = request.body().path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            JsonNode calls = message.path("tool_calls");
            if (!"assistant".equals(message.path("role").asString("")) || !calls.isArray() || calls.isEmpty()) {
                continue;
            }
            for (JsonNode call : calls) {
                String id = call.path("id").asString("");
                if (!id.isEmpty()) {
                    Optional<String> maker = makers.makerOf(id);
                    if (maker.isPresent()) {
                        return Optional.of(new Affinity(maker.get(), id));
                    }
                }
            }
            // Only the latest tool round decides: an older one may have been made by another expert.
            return Optional.empty();
        }
        return Optional.empty();
    }
}
