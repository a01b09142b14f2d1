package io.consilium.registry.internal;

import io.consilium.registry.ExpertRejectedRequestException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Translates between the OpenAI chat completions shape and Spring AI's Anthropic chat model. */
final class AnthropicMessages {

    /** Anthropic requires {@code max_tokens}; OpenAI clients often leave it out. */
    static final int DEFAULT_MAX_TOKENS = 1024;

    private static final Pattern DATA_URL = Pattern.compile("data:(image/(png|jpeg|jpg|gif|webp));base64,(.+)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private AnthropicMessages() {}

    /**
     * The prompt for an OpenAI request body. Options start from the model's defaults (model, timeout)
     * because Spring AI uses a prompt's options as they are, without merging them with the defaults.
     *
     * @throws ExpertRejectedRequestException when the request holds something Anthropic cannot take
     */
    static Prompt toPrompt(ObjectNode body, AnthropicChatOptions defaults, String expertId, Map<String, String> headers) {
        List<Message> messages = new ArrayList<>();
        for (JsonNode message : body.path("messages")) {
            Message converted = toMessage(message, expertId);
            if (converted != null) {
                messages.add(converted);
            }
        }
        AnthropicChatOptions.Builder options = defaults.mutate().maxTokens(maxTokens(body));
        if (body.path("temperature").isNumber()) {
            options.temperature(body.path("temperature").asDouble());
        }
        if (body.path("top_p").isNumber()) {
            options.topP(body.path("top_p").asDouble());
        }
        List<String> stop = stopSequences(body.path("stop"));
        if (!stop.isEmpty()) {
            options.stopSequences(stop);
        }
        if (!headers.isEmpty()) {
            options.httpHeaders(headers);
        }
        return new Prompt(messages, options.build());
    }

    /** The whole answer as an OpenAI {@code chat.completion}. */
    static ObjectNode toCompletion(ChatResponse response, JsonMapper json, String fallbackModel) {
        ChatResponseMetadata metadata = response.getMetadata();
        ObjectNode completion = envelope(json, "chat.completion", metadata.getId(), modelOf(metadata, fallbackModel));
        // Spring AI puts thinking blocks in generations of their own before the one holding the answer.
        Generation answer = response.getResults().isEmpty() ? null : response.getResults().getLast();
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", answer == null ? "" : textOf(answer));
        choice.put("finish_reason", finishReason(answer == null ? null : answer.getMetadata().getFinishReason()));
        putUsage(completion, metadata.getUsage());
        return completion;
    }

    /** The text a streamed response adds, or empty (thinking, signatures and bookkeeping add none). */
    static String deltaText(ChatResponse response) {
        return response.getResults().isEmpty() ? "" : textOf(response.getResults().getLast());
    }

    /** The upstream stop reason a streamed response carries (only the last one does), or null. */
    static @Nullable String stopReason(ChatResponse response) {
        if (response.getResults().isEmpty()) {
            return null;
        }
        String reason = response.getResults().getLast().getMetadata().getFinishReason();
        return reason == null || reason.isEmpty() ? null : reason;
    }

    /** Maps an Anthropic stop reason to OpenAI's {@code finish_reason}. */
    static String finishReason(@Nullable String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason.toLowerCase(Locale.ROOT)) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop"; // end_turn, stop_sequence, pause_turn
        };
    }

    static void putUsage(ObjectNode target, @Nullable Usage usage) {
        long prompt = usage == null || usage.getPromptTokens() == null ? 0 : usage.getPromptTokens();
        long completion = usage == null || usage.getCompletionTokens() == null ? 0 : usage.getCompletionTokens();
        ObjectNode node = target.putObject("usage");
        node.put("prompt_tokens", prompt);
        node.put("completion_tokens", completion);
        node.put("total_tokens", prompt + completion);
    }

    static String modelOf(ChatResponseMetadata metadata, String fallback) {
        String model = metadata.getModel();
        return model == null || model.isEmpty() ? fallback : model;
    }

    /** The fields every completion and chunk starts with. */
    static ObjectNode envelope(JsonMapper json, String object, @Nullable String id, String model) {
        ObjectNode node = json.createObjectNode();
        node.put("id", id == null || id.isEmpty() ? newId() : id);
        node.put("object", object);
        node.put("created", Instant.now().getEpochSecond());
        node.put("model", model);
        return node;
    }

    /** A fresh completion id, for answers whose upstream id is not known (yet). */
    static String newId() {
        return "chatcmpl-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    private static @Nullable Message toMessage(JsonNode message, String expertId) {
        String role = message.path("role").asString("");
        JsonNode content = message.path("content");
        String text = text(content);
        return switch (role) {
            case "system", "developer" -> text.isEmpty() ? null : new SystemMessage(text);
            case "user" -> {
                List<Media> media = images(content, expertId);
                // Anthropic rejects empty content blocks, so an empty turn is left out rather than sent.
                yield text.isEmpty() && media.isEmpty() ? null : UserMessage.builder().text(text).media(media).build();
            }
            case "assistant" -> text.isEmpty() ? null : new AssistantMessage(text);
            default -> throw new ExpertRejectedRequestException(
                    expertId, 400, "message role '" + UpstreamErrors.clip(role) + "' is not supported by this expert");
        };
    }

    /** A string content, or the text parts of an array content joined by new lines. */
    private static String text(JsonNode content) {
        if (content.isString()) {
            return content.asString();
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asString(""))) {
                parts.add(part.path("text").asString(""));
            }
        }
        return String.join("\n", parts);
    }

    /** Image parts: base64 data URLs and https URLs, the two forms Anthropic accepts. */
    private static List<Media> images(JsonNode content, String expertId) {
        List<Media> media = new ArrayList<>();
        for (JsonNode part : content) {
            if (!"image_url".equals(part.path("type").asString(""))) {
                continue;
            }
            JsonNode image = part.path("image_url");
            String url = (image.isString() ? image.asString() : image.path("url").asString("")).trim();
            Matcher data = DATA_URL.matcher(url);
            if (data.matches()) {
                String mimeType = data.group(1).toLowerCase(Locale.ROOT).replace("jpg", "jpeg");
                String base64 = data.group(3).replaceAll("\\s", "");
                requireBase64(base64, expertId);
                media.add(Media.builder().mimeType(MimeType.valueOf(mimeType)).data(base64).build());
            } else if (url.regionMatches(true, 0, "https://", 0, 8)) {
                // Spring AI sends a string starting with https:// as a URL source; the type only marks it an image.
                media.add(Media.builder().mimeType(MimeType.valueOf("image/jpeg")).data(url).build());
            } else {
                throw new ExpertRejectedRequestException(expertId, 400,
                        "images must be https URLs or base64 data URLs of png, jpeg, gif or webp");
            }
        }
        return media;
    }

    private static void requireBase64(String base64, String expertId) {
        try {
            Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ExpertRejectedRequestException(expertId, 400, "image data URL is not valid base64");
        }
    }

    private static int maxTokens(ObjectNode body) {
        for (String field : List.of("max_completion_tokens", "max_tokens")) {
            JsonNode value = body.path(field);
            if (value.canConvertToInt() && value.asInt() > 0) {
                return value.asInt();
            }
        }
        return DEFAULT_MAX_TOKENS;
    }

    private static List<String> stopSequences(JsonNode stop) {
        if (stop.isString()) {
            return stop.asString().isEmpty() ? List.of() : List.of(stop.asString());
        }
        List<String> sequences = new ArrayList<>();
        for (JsonNode sequence : stop) {
            if (sequence.isString() && !sequence.asString().isEmpty()) {
                sequences.add(sequence.asString());
            }
        }
        return sequences;
    }

    private static String textOf(Generation generation) {
        String text = generation.getOutput().getText();
        return text == null ? "" : text;
    }
}
