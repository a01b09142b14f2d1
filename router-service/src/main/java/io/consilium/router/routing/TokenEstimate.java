package io.consilium.router.routing;

import io.consilium.registry.ChatRequest;
import tools.jackson.databind.JsonNode;

/**
 * A cheap estimate of the tokens a request takes up in an expert's context window, made before any call:
 * the characters of its messages' text divided by four (OpenAI's rule of thumb for English; tokenizers
 * differ, so this is an estimate, not a count), plus the tokens it asks to have written
 * ({@code max_completion_tokens} or {@code max_tokens}, the larger when both are given). Images, tool
 * definitions and the expert's own system prompt are not counted, so the estimate errs on the small side
 * and never refuses a request that would fit.
 */
public final class TokenEstimate {

    private static final int CHARACTERS_PER_TOKEN = 4;

    private TokenEstimate() {}

    /** About how many tokens the request needs. */
    public static long of(ChatRequest request) {
        long characters = 0;
        for (JsonNode message : request.body().path("messages")) {
            JsonNode content = message.path("content");
            if (content.isString()) {
                characters += content.asString().length();
            }
            for (JsonNode part : content) {
                if (part.isObject() && "text".equals(part.path("type").asString(""))) {
                    characters += part.path("text").asString("").length();
                }
            }
        }
        long written = Math.max(request.body().path("max_tokens").asLong(0),
                request.body().path("max_completion_tokens").asLong(0));
        return (characters + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN + Math.max(0, written);
    }
}
