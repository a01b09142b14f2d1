package io.consilium.aggregator;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.Provider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An aggregator written for the tests: answers (or streams) a set text, and set tool calls, with set usage, or
 * fails with a set exception, and keeps every request it was sent.
 */
final class ScriptedAggregator implements ExpertClient {

    private final Expert expert;
    private final List<ChatRequest> chats = new ArrayList<>();
    private final List<ChatRequest> streams = new ArrayList<>();
    private String text = "";
    private List<ToolCall> toolCalls = List.of();
    private long promptTokens;
    private long completionTokens;
    private @Nullable RuntimeException failure;

    ScriptedAggregator(String id) {
        this.expert = Expert.builder(id).provider(Provider.MOCK).roleIds(List.of("aggregator")).build();
    }

    ScriptedAggregator answering(String answer, long prompt, long completion) {
        this.text = answer;
        this.promptTokens = prompt;
        this.completionTokens = completion;
        return this;
    }

    /** Answers with these tool calls and no text, as OpenAI models do ({@code content: null}). */
    ScriptedAggregator callingTools(ToolCall... calls) {
        this.text = "";
        this.toolCalls = List.of(calls);
        return this;
    }

    ScriptedAggregator failingWith(RuntimeException error) {
        this.failure = error;
        return this;
    }

    List<ChatRequest> chats() {
        return chats;
    }

    List<ChatRequest> streams() {
        return streams;
    }

    @Override
    public Expert expert() {
        return expert;
    }

    @Override
    public ChatCompletion chat(ChatRequest request) {
        chats.add(request);
        if (failure != null) {
            throw failure;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode message = body.putArray("choices").addObject().putObject("message").put("role", "assistant");
        if (toolCalls.isEmpty()) {
            message.put("content", text);
        } else {
            message.putNull("content");
            message.set("tool_calls", ToolCall.write(toolCalls));
        }
        body.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens);
        return new ChatCompletion(body);
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        streams.add(request);
        if (failure != null) {
            throw failure;
        }
        Deque<ObjectNode> chunks = new ArrayDeque<>();
        for (String word : text.split("(?<= )")) {
            ObjectNode chunk = JsonNodeFactory.instance.objectNode();
            chunk.putArray("choices").addObject().putObject("delta").put("content", word);
            chunks.add(chunk);
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
}
