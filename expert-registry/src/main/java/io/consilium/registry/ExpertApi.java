package io.consilium.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An OpenAI API an expert's endpoint serves. Every chat expert serves Chat Completions, which chat, fusion, the
 * Messages API and profiling use; an OpenAI-compatible endpoint that also serves the Responses API
 * ({@code POST {base-url}/responses}) may say so, and {@code /v1/responses} requests naming it are then forwarded
 * to it as they are instead of being translated to Chat Completions.
 */
public enum ExpertApi {
    CHAT_COMPLETIONS("chat_completions"),
    RESPONSES("responses");

    private final String id;

    ExpertApi(String id) {
        this.id = id;
    }

    /** The name used in configuration and the API. */
    public String id() {
        return id;
    }

    public static Optional<ExpertApi> fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(api -> api.id.equals(wanted)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
