package io.consilium.registry.internal;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertServerException;
import io.consilium.registry.ExpertTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in expert for demos and load tests. Its answer depends only on the expert and the last user
 * message, always starts with {@code [mock <id>]}, and says that no model was called. Latency and a
 * failure rate are configurable, to exercise timeouts, retries and circuit breakers.
 */
public final class MockExpertClient extends AbstractExpertClient {

    private static final int MAX_ECHO = 120;

    private final JsonMapper json;

    public MockExpertClient(Expert expert, JsonMapper json) {
        super(expert);
        this.json = json;
    }

    /** The text this expert answers to the given request body. */
    static String answerText(Expert expert, ObjectNode body) {
        String question = ChatRequest.lastUserText(body.path("messages")).strip();
        String echoed = question.length() <= MAX_ECHO ? question : question.substring(0, MAX_ECHO) + "…";
        String skills = expert.skills().isEmpty() ? "none declared" : String.join(", ", expert.skills());
        return "[mock " + expert.id() + "] Simulated answer from a mock expert (skills: " + skills
                + "); no language model was called. You asked: \"" + echoed + "\"";
    }

    @Override
    protected ChatCompletion doChat(ObjectNode body) {
        simulateLatencyAndFailure();
        String text = answerText(expert, body);
        ObjectNode completion = envelope(newId(), "chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", text);
        choice.put("finish_reason", "stop");
        putUsage(completion, body, text);
        return new ChatCompletion(completion);
    }

    @Override
    protected ChatStream doStream(ObjectNode body) {
        simulateLatencyAndFailure();
        String text = answerText(expert, body);
        String id = newId();
        Deque<ObjectNode> chunks = new ArrayDeque<>();
        chunks.add(chunk(id, delta -> delta.put("role", "assistant").put("content", ""), null));
        for (String word : words(text)) {
            chunks.add(chunk(id, delta -> delta.put("content", word), null));
        }
        chunks.add(chunk(id, delta -> { }, "stop"));
        if (body.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode usage = envelope(id, "chat.completion.chunk");
            usage.putArray("choices");
            putUsage(usage, body, text);
            chunks.add(usage);
        }
        return new ChatStream() {
            @Override
            public Optional<ObjectNode> next() {
                return Optional.ofNullable(chunks.poll());
            }

            @Override
            public void close() {
                chunks.clear();
            }
        };
    }

    private void simulateLatencyAndFailure() {
        Duration latency = expert.mock().latency();
        if (!latency.isZero()) {
            try {
                // A mock stands in for a slow remote model: it really does take this long.
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExpertTimeoutException(expert.id(), latency);
            }
        }
        if (ThreadLocalRandom.current().nextDouble() < expert.mock().failureRate()) {
            throw new ExpertServerException(expert.id(), 500, "simulated mock failure", null);
        }
    }

    private static String newId() {
        return "chatcmpl-mock-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    private ObjectNode envelope(String id, String object) {
        ObjectNode node = json.createObjectNode();
        node.put("id", id);
        node.put("object", object);
        node.put("created", Instant.now().getEpochSecond());
        node.put("model", expert.model() != null ? expert.model() : "mock/" + expert.id());
        return node;
    }

    private ObjectNode chunk(String id, Consumer<ObjectNode> fillDelta, @Nullable String finishReason) {
        return CompletionChunks.withChoice(envelope(id, "chat.completion.chunk"), fillDelta, finishReason);
    }

    private static void putUsage(ObjectNode target, ObjectNode body, String answer) {
        long prompt = 0;
        for (JsonNode message : body.path("messages")) {
            prompt += words(contentText(message.path("content"))).size() + 4;
        }
        long completion = words(answer).size();
        ObjectNode usage = target.putObject("usage");
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
    }


    private static String contentText(JsonNode content) {
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asString(""))) {
                text.append(part.path("text").asString("")).append(' ');
            }
        }
        return text.toString();
    }

    /** Words with their trailing space kept, so that concatenated chunks give the answer back. */
    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.split("(?<= )"));
    }
}
