package io.consilium.registry.internal;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRejectedRequestException;
import io.consilium.registry.ExpertServerException;
import io.consilium.registry.ExpertTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in expert for demos and load tests. Its answer depends only on the expert and the request, always
 * says it comes from a mock ({@code [mock <id>]}, or {@code "mock"} in structured answers) and that no model
 * was called. It keeps the shape of the OpenAI contract, so that clients which parse answers work against
 * it: {@code response_format} gets JSON (built from the schema when one is given), offered {@code tools} get
 * a tool call until the last message is a tool's result, {@code n} gets that many choices, and streams carry
 * the same shapes as deltas. Latency and a failure rate are configurable, to exercise timeouts, retries and
 * circuit breakers.
 */
public final class MockExpertClient extends AbstractExpertClient {

    /** OpenAI's own bound on {@code n}. */
    static final int MAX_CHOICES = 128;

    private static final int MAX_ECHO = 120;
    /** Structured content and tool arguments are streamed in pieces this long, as a model emits tokens. */
    private static final int PIECE = 16;

    private final JsonMapper json;

    public MockExpertClient(Expert expert, JsonMapper json) {
        super(expert);
        this.json = json;
    }

    /** One choice of the answer: text or JSON content, or a call of one tool. */
    private record Reply(@Nullable String content, @Nullable ToolCall call, boolean structured) {

        String finishReason() {
            return call != null ? "tool_calls" : "stop";
        }

        /** What the model would have generated, for the usage. */
        String generated() {
            return call != null ? call.name() + call.arguments() : content != null ? content : "";
        }
    }

    private record ToolCall(String id, String name, String arguments) {}

    /** The text this expert answers to the given request body, after the tag that marks it as a mock. */
    static String answerText(Expert expert, ObjectNode body, String tag) {
        JsonNode messages = body.path("messages");
        JsonNode last = messages.path(messages.size() - 1);
        if ("tool".equals(last.path("role").asString(""))) {
            // Answering the result instead of calling again is what lets an agent loop end.
            return tag + " The tool returned: \"" + echo(contentText(last.path("content"))) + "\". A mock expert"
                    + " ends the tool loop here; no language model was called.";
        }
        String skills = expert.skills().isEmpty() ? "none declared" : String.join(", ", expert.skills());
        return tag + " Simulated answer from a mock expert (skills: " + skills
                + "); no language model was called. You asked: \"" + echo(ChatRequest.lastUserText(messages)) + "\"";
    }

    @Override
    protected ChatCompletion doChat(ObjectNode body) {
        List<Reply> replies = replies(body);
        simulateLatencyAndFailure();
        ObjectNode completion = envelope(newId(), "chat.completion");
        ArrayNode choices = completion.putArray("choices");
        for (int i = 0; i < replies.size(); i++) {
            Reply reply = replies.get(i);
            ObjectNode choice = choices.addObject();
            choice.put("index", i);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            if (reply.call() != null) {
                message.putNull("content");
                ObjectNode call = message.putArray("tool_calls").addObject();
                call.put("id", reply.call().id());
                call.put("type", "function");
                call.putObject("function").put("name", reply.call().name()).put("arguments", reply.call().arguments());
            } else {
                message.put("content", reply.content());
            }
            choice.put("finish_reason", reply.finishReason());
        }
        putUsage(completion, body, replies);
        return new ChatCompletion(completion);
    }

    @Override
    protected ChatStream doStream(ObjectNode body) {
        List<Reply> replies = replies(body);
        simulateLatencyAndFailure();
        String id = newId();
        List<Deque<ObjectNode>> runs = new ArrayList<>();
        for (int index = 0; index < replies.size(); index++) {
            runs.add(run(id, index, replies.get(index)));
        }
        // Choices are interleaved and all finish last, as OpenAI streams them: clients accumulating by index
        // (the OpenAI SDKs' accumulators among them) take the answer as whole once every choice seen has finished.
        Deque<ObjectNode> chunks = new ArrayDeque<>();
        while (runs.stream().anyMatch(run -> !run.isEmpty())) {
            runs.forEach(run -> {
                if (!run.isEmpty()) {
                    chunks.add(run.poll());
                }
            });
        }
        for (int index = 0; index < replies.size(); index++) {
            chunks.add(chunk(id, index, delta -> { }, replies.get(index).finishReason()));
        }
        if (body.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode usage = envelope(id, "chat.completion.chunk");
            usage.putArray("choices");
            putUsage(usage, body, replies);
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

    /** The chunks of one choice up to its finish: the role, then the content or the tool call in pieces. */
    private Deque<ObjectNode> run(String id, int index, Reply reply) {
        Deque<ObjectNode> chunks = new ArrayDeque<>();
        ToolCall call = reply.call();
        if (call != null) {
            chunks.add(chunk(id, index, delta -> {
                delta.put("role", "assistant").putNull("content");
                ObjectNode first = delta.putArray("tool_calls").addObject();
                first.put("index", 0).put("id", call.id()).put("type", "function");
                first.putObject("function").put("name", call.name()).put("arguments", "");
            }, null));
            for (String piece : pieces(call.arguments())) {
                chunks.add(chunk(id, index, delta -> delta.putArray("tool_calls").addObject().put("index", 0)
                        .putObject("function").put("arguments", piece), null));
            }
            return chunks;
        }
        String content = reply.content() != null ? reply.content() : "";
        chunks.add(chunk(id, index, delta -> delta.put("role", "assistant").put("content", ""), null));
        for (String piece : reply.structured() ? pieces(content) : words(content)) {
            chunks.add(chunk(id, index, delta -> delta.put("content", piece), null));
        }
        return chunks;
    }

    /** The choices the request asks for, or the refusal a real upstream would give a request it cannot take. */
    private List<Reply> replies(ObjectNode body) {
        int n = choiceCount(body);
        Optional<JsonNode> tool = toolToCall(body);
        List<Reply> replies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String label = n == 1 ? "mock " + expert.id() : "mock " + expert.id() + ", choice " + (i + 1) + " of " + n;
            if (tool.isPresent()) {
                JsonNode function = tool.get().path("function");
                String arguments = json.writeValueAsString(SchemaExample.of(function.path("parameters"), label, json));
                replies.add(new Reply(null, new ToolCall(newCallId(), function.path("name").asString(), arguments), false));
            } else {
                replies.add(content(body, label));
            }
        }
        return replies;
    }

    private Reply content(ObjectNode body, String label) {
        String text = answerText(expert, body, "[" + label + "]");
        JsonNode format = body.path("response_format");
        return switch (format.path("type").asString("text")) {
            case "json_object" -> {
                ObjectNode answer = json.createObjectNode();
                answer.put("mock", expert.id());
                answer.put("answer", text);
                yield new Reply(json.writeValueAsString(answer), null, true);
            }
            case "json_schema" -> new Reply(json.writeValueAsString(
                    SchemaExample.of(format.path("json_schema").path("schema"), label, json)), null, true);
            default -> new Reply(text, null, false);
        };
    }

    private int choiceCount(ObjectNode body) {
        JsonNode n = body.path("n");
        if (n.isMissingNode() || n.isNull()) {
            return 1;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > MAX_CHOICES) {
            throw new ExpertRejectedRequestException(expert.id(), 400,
                    "'n' must be an integer between 1 and " + MAX_CHOICES + ", but was " + n);
        }
        return n.asInt();
    }

    /**
     * The tool this answer calls: the one {@code tool_choice} names, else the first offered; none when no tool
     * is offered, when {@code tool_choice} is {@code "none"}, or when the last message is a tool's result.
     */
    private Optional<JsonNode> toolToCall(ObjectNode body) {
        JsonNode tools = body.path("tools");
        JsonNode choice = body.path("tool_choice");
        JsonNode messages = body.path("messages");
        if (!tools.isArray() || tools.isEmpty() || "none".equals(choice.asString(""))
                || "tool".equals(messages.path(messages.size() - 1).path("role").asString(""))) {
            return Optional.empty();
        }
        if (choice.isObject()) {
            String name = choice.path("function").path("name").asString("");
            for (JsonNode tool : tools) {
                if (name.equals(tool.path("function").path("name").asString())) {
                    return Optional.of(tool);
                }
            }
            throw new ExpertRejectedRequestException(expert.id(), 400,
                    "'tool_choice' names the function '" + name + "', which is not among the 'tools'");
        }
        return Optional.of(tools.get(0));
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

    private static String newCallId() {
        return "call_mock" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    private ObjectNode envelope(String id, String object) {
        ObjectNode node = json.createObjectNode();
        node.put("id", id);
        node.put("object", object);
        node.put("created", Instant.now().getEpochSecond());
        node.put("model", expert.model() != null ? expert.model() : "mock/" + expert.id());
        return node;
    }

    private ObjectNode chunk(String id, int index, Consumer<ObjectNode> fillDelta, @Nullable String finishReason) {
        return CompletionChunks.withChoice(envelope(id, "chat.completion.chunk"), index, fillDelta, finishReason);
    }

    /** Tokens counted as a quarter of the characters, roughly what real tokenizers give for English and JSON. */
    private void putUsage(ObjectNode target, ObjectNode body, List<Reply> replies) {
        long prompt = 0;
        for (JsonNode message : body.path("messages")) {
            prompt += tokens(contentText(message.path("content"))) + 4; // each message costs a few framing tokens
            if (message.has("tool_calls")) {
                prompt += tokens(json.writeValueAsString(message.get("tool_calls")));
            }
        }
        for (String field : new String[] {"tools", "response_format"}) {
            if (body.hasNonNull(field)) {
                prompt += tokens(json.writeValueAsString(body.get(field)));
            }
        }
        long completion = 0;
        for (Reply reply : replies) {
            completion += tokens(reply.generated());
        }
        ObjectNode usage = target.putObject("usage");
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
    }

    private static long tokens(String text) {
        return (text.length() + 3) / 4;
    }

    private static String echo(String text) {
        String stripped = text.strip();
        return stripped.length() <= MAX_ECHO ? stripped : stripped.substring(0, MAX_ECHO) + "…";
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

    /** Pieces of a fixed length that never split a surrogate pair, so that each is valid text on the wire. */
    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + PIECE);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end++;
            }
            pieces.add(text.substring(start, end));
            start = end;
        }
        return pieces;
    }
}
