package io.consilium.registry;

import tools.jackson.databind.JsonNode;

/** Token counts of one call, as reported by the expert (zero when it did not say). */
public record Usage(long promptTokens, long completionTokens) {

    public static final Usage NONE = new Usage(0, 0);

    /** Reads an OpenAI {@code usage} object; missing fields count as zero. */
    public static Usage from(JsonNode usage) {
        if (!usage.isObject()) {
            return NONE;
        }
        return new Usage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0));
    }

    /** Reads a Responses API {@code usage} object ({@code input_tokens}, {@code output_tokens}); missing fields count as zero. */
    public static Usage fromResponses(JsonNode usage) {
        if (!usage.isObject()) {
            return NONE;
        }
        return new Usage(usage.path("input_tokens").asLong(0), usage.path("output_tokens").asLong(0));
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
