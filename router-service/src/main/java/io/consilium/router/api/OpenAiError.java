package io.consilium.router.api;

import org.jspecify.annotations.Nullable;

/** The OpenAI error body: {@code {"error": {"message", "type", "param", "code"}}}. */
public record OpenAiError(Detail error) {

    /** The fields inside {@code error}; {@code param} and {@code code} are null when they do not apply. */
    public record Detail(String message, String type, @Nullable String param, @Nullable String code) {}

    public static OpenAiError of(String message, String type, @Nullable String param, @Nullable String code) {
        return new OpenAiError(new Detail(message, type, param, code));
    }
}
