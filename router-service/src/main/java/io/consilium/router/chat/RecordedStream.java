package io.consilium.router.chat;

import io.consilium.registry.Usage;
import io.consilium.router.api.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Passes a streamed answer on chunk by chunk, unchanged and unbuffered, while putting together the whole
 * {@code chat.completion} it amounts to; when the stream ends well, that completion goes to {@code finished} (the
 * answer cache). A stream that broke, or that holds what a whole completion cannot be rebuilt from faithfully
 * (several choices, log probabilities), is not handed on.
 */
final class RecordedStream implements ChatEvents {

    private final ChatEvents target;
    private final JsonMapper json;
    private final Consumer<ObjectNode> finished;
    private final StringBuilder content = new StringBuilder();
    private final StringBuilder refusal = new StringBuilder();
    private final List<ObjectNode> toolCalls = new ArrayList<>();
    private @Nullable String id;
    private @Nullable String model;
    private long created;
    private @Nullable String finishReason;
    private @Nullable JsonNode usage;
    private @Nullable JsonNode metadata;
    private boolean faithful = true;

    RecordedStream(ChatEvents target, JsonMapper json, Consumer<ObjectNode> finished) {
        this.target = target;
        this.json = json;
        this.finished = finished;
    }

    @Override
    public void chunk(ObjectNode chunk) throws IOException {
        target.chunk(chunk);
        record(chunk);
    }

    @Override
    public void error(ApiException failure) throws IOException {
        faithful = false;
        target.error(failure);
    }

    @Override
    public void done() throws IOException {
        target.done();
        if (faithful && finishReason != null) {
            finished.accept(completion());
        }
    }

    private void record(ObjectNode chunk) {
        id = chunk.path("id").asString(id);
        model = chunk.path("model").asString(model);
        created = chunk.path("created").asLong(created);
        if (chunk.hasNonNull("usage")) {
            usage = chunk.get("usage");
        }
        if (chunk.hasNonNull("consilium")) {
            metadata = chunk.get("consilium");
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0 || choice.hasNonNull("logprobs")) {
                faithful = false;
                return;
            }
            JsonNode delta = choice.path("delta");
            if (delta.path("content").isString()) {
                content.append(delta.path("content").asString());
            }
            if (delta.path("refusal").isString()) {
                refusal.append(delta.path("refusal").asString());
            }
            for (JsonNode call : delta.path("tool_calls")) {
                toolCall(call);
            }
            if (choice.path("finish_reason").isString()) {
                finishReason = choice.path("finish_reason").asString();
            }
        }
    }

    /** Tool call deltas arrive in pieces by index: the first brings id, type and name, the rest more arguments. */
    private void toolCall(JsonNode delta) {
        int index = delta.path("index").asInt(toolCalls.size());
        while (toolCalls.size() <= index) {
            ObjectNode call = json.createObjectNode();
            call.putObject("function").put("name", "").put("arguments", "");
            toolCalls.add(call);
        }
        ObjectNode call = toolCalls.get(index);
        if (delta.path("id").isString()) {
            call.put("id", delta.path("id").asString());
        }
        if (delta.path("type").isString()) {
            call.put("type", delta.path("type").asString());
        }
        ObjectNode function = (ObjectNode) call.get("function");
        JsonNode piece = delta.path("function");
        function.put("name", function.path("name").asString() + piece.path("name").asString(""));
        function.put("arguments", function.path("arguments").asString() + piece.path("arguments").asString(""));
    }

    private ObjectNode completion() {
        ObjectNode body = json.createObjectNode();
        body.put("id", id);
        body.put("object", "chat.completion");
        body.put("created", created);
        body.put("model", model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (content.isEmpty() && !toolCalls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", content.toString());
        }
        if (!refusal.isEmpty()) {
            message.put("refusal", refusal.toString());
        }
        if (!toolCalls.isEmpty()) {
            toolCalls.forEach(message.putArray("tool_calls")::add);
        }
        choice.put("finish_reason", finishReason);
        if (usage != null) {
            body.set("usage", usage);
        } else if (metadata != null) {
            // The client did not ask for the usage chunk; a whole completion always has usage, so it is summed
            // from what the experts and the aggregator reported.
            long prompt = metadata.path("aggregator_call").path("prompt_tokens").asLong(0);
            long completion = metadata.path("aggregator_call").path("completion_tokens").asLong(0);
            for (JsonNode expert : metadata.path("experts")) {
                prompt += expert.path("prompt_tokens").asLong(0);
                completion += expert.path("completion_tokens").asLong(0);
            }
            ChatAnswers.putUsage(body, new Usage(prompt, completion));
        }
        if (metadata != null) {
            body.set("consilium", metadata);
        }
        return body;
    }
}
