package io.consilium.registry.internal;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A model's chat template: the Jinja template from its tokenizer files that turns a conversation into
 * the prompt text the model was trained on, rendered with Jinjava the way Hugging Face's
 * {@code apply_chat_template} renders it (trimmed blocks, {@code add_generation_prompt}, the special
 * tokens, {@code raise_exception}).
 */
final class ChatTemplate {

    static final String TEMPLATE_FILE = "chat_template.jinja";
    static final String TEMPLATE_JSON = "chat_template.json";

    /** Shared: a Jinjava instance is thread-safe once its functions are registered. */
    private static final Jinjava JINJAVA = newJinjava();
    private static final long MAX_PROMPT_CHARS = 16L * 1024 * 1024;

    private final String template;
    private final @Nullable String bosToken;
    private final @Nullable String eosToken;

    ChatTemplate(String template, @Nullable String bosToken, @Nullable String eosToken) {
        this.template = template;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
    }

    /**
     * Finds the template: {@code chat_template} in {@code tokenizer_config.json} (a string, or a list of
     * named templates of which {@code default} is taken), else {@code chat_template.jinja}, else
     * {@code chat_template.json}.
     *
     * @throws MalformedModelException when there is none
     */
    static String find(Path directory, JsonNode tokenizerConfig, JsonMapper json) throws MalformedModelException {
        JsonNode inConfig = tokenizerConfig.path("chat_template");
        if (inConfig.isString() && !inConfig.asString().isBlank()) {
            return inConfig.asString();
        }
        if (inConfig.isArray()) {
            for (JsonNode named : inConfig) {
                if ("default".equals(named.path("name").asString("")) && named.path("template").isString()) {
                    return named.path("template").asString();
                }
            }
        }
        Path file = directory.resolve(TEMPLATE_FILE);
        if (Files.isRegularFile(file)) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new MalformedModelException(TEMPLATE_FILE + " cannot be read: " + e.getMessage(), e);
            }
        }
        JsonNode templateJson = ModelConfig.readJson(directory.resolve(TEMPLATE_JSON), json, false);
        if (templateJson.path("chat_template").isString()) {
            return templateJson.path("chat_template").asString();
        }
        throw new MalformedModelException("no chat template: neither " + ModelConfig.TOKENIZER_CONFIG
                + " has a chat_template nor is there a " + TEMPLATE_FILE);
    }

    /**
     * The prompt for an OpenAI messages array, ending with the assistant's turn opened.
     *
     * @throws IllegalArgumentException when the template refuses the conversation or fails
     */
    String render(JsonNode messages) {
        Map<String, Object> context = new HashMap<>();
        context.put("messages", templateMessages(messages));
        context.put("add_generation_prompt", true);
        if (bosToken != null) {
            context.put("bos_token", bosToken);
        }
        if (eosToken != null) {
            context.put("eos_token", eosToken);
        }
        RenderResult result = JINJAVA.renderForResult(template, context);
        // Jinja stops at the first error; Jinjava goes on and collects them all, so the first is the one meant.
        result.getErrors().stream()
                .filter(error -> error.getSeverity() == TemplateError.ErrorType.FATAL)
                .findFirst()
                .ifPresent(error -> {
                    throw new IllegalArgumentException("the model's chat template refused the conversation: "
                            + describe(error));
                });
        return result.getOutput();
    }

    /**
     * Messages as the template sees them: role, content as text (text parts of a multi-part content
     * joined), and name or tool-call fields when present.
     */
    private static List<Map<String, Object>> templateMessages(JsonNode messages) {
        List<Map<String, Object>> converted = new ArrayList<>();
        for (JsonNode message : messages) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("role", message.path("role").asString(""));
            entry.put("content", contentText(message.path("content")));
            for (String optional : List.of("name", "tool_call_id")) {
                if (message.path(optional).isString()) {
                    entry.put(optional, message.path(optional).asString());
                }
            }
            converted.add(entry);
        }
        return converted;
    }

    private static String contentText(JsonNode content) {
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asString(""))) {
                text.append(text.isEmpty() ? "" : "\n").append(part.path("text").asString(""));
            }
        }
        return text.toString();
    }

    private static String describe(TemplateError error) {
        // raise_exception's own message is what the template's author wanted the caller to read
        Throwable cause = error.getException();
        while (cause != null && !(cause instanceof TemplateRaisedException)) {
            cause = cause.getCause();
        }
        return cause != null ? cause.getMessage() : error.getMessage();
    }

    private static Jinjava newJinjava() {
        Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withMaxOutputSize(MAX_PROMPT_CHARS)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .build())
                .build());
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "raise_exception", ChatTemplate.class, "raiseException", String.class));
        return jinjava;
    }

    /** {@code raise_exception(message)}, which Hugging Face templates call to refuse a conversation. */
    public static String raiseException(String message) {
        throw new TemplateRaisedException(message);
    }

    /** Thrown by {@code raise_exception}; its message is the template author's. */
    static final class TemplateRaisedException extends RuntimeException {

        TemplateRaisedException(String message) {
            super(message);
        }
    }
}
