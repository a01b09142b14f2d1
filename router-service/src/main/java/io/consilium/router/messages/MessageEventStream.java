package io.consilium.router.messages;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The response a streamed chat answer is written to, turned into Anthropic's event stream on its way to the
 * client: each {@code chat.completion.chunk} becomes the {@code message_start}, {@code content_block_*} and
 * {@code message_delta} events it stands for as soon as it is written, so nothing is held back; {@code [DONE]}
 * becomes {@code message_stop}, and an error event Anthropic's {@code error} event. The chat core writes to it
 * as to any client, so every way of answering (an expert, a routed relay, fusion) streams alike.
 */
final class MessageEventStream extends HttpServletResponseWrapper {

    private enum Block { NONE, TEXT, TOOL }

    private final JsonMapper json;
    private final MessageAnswers answers;
    private final String model;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private @Nullable ServletOutputStream stream;

    private boolean started;
    private boolean ended;
    private Block open = Block.NONE;
    private int nextIndex;
    /** The content block of each chat tool call, by the call's index in the chunks. */
    private final Map<Integer, Integer> toolBlocks = new HashMap<>();
    private @Nullable String stopReason;
    private long inputTokens;
    private long outputTokens;
    private @Nullable ObjectNode metadata;
    private String completionId = "";

    MessageEventStream(HttpServletResponse response, JsonMapper json, MessageAnswers answers, String model) {
        super(response);
        this.json = json;
        this.answers = answers;
        this.model = model;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            ServletOutputStream out = getResponse().getOutputStream();
            stream = new ServletOutputStream() {
                @Override
                public void write(int b) throws IOException {
                    pending.write(b);
                    drain(out);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    pending.write(bytes, offset, length);
                    drain(out);
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public boolean isReady() {
                    return out.isReady();
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    out.setWriteListener(listener);
                }
            };
        }
        return stream;
    }

    /** Translates every whole event written so far; a partial one waits for the rest of its bytes. */
    private void drain(ServletOutputStream out) throws IOException {
        byte[] bytes = pending.toByteArray();
        int from = 0;
        for (int end = indexOfBlankLine(bytes, from); end >= 0; end = indexOfBlankLine(bytes, from)) {
            String event = new String(bytes, from, end - from, StandardCharsets.UTF_8);
            from = end + 2;
            if (event.startsWith("data: ")) {
                translate(event.substring("data: ".length()), out);
            }
        }
        pending.reset();
        pending.write(bytes, from, bytes.length - from);
    }

    private static int indexOfBlankLine(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void translate(String data, ServletOutputStream out) throws IOException {
        if (ended) {
            return;
        }
        if ("[DONE]".equals(data)) {
            finish(out);
            return;
        }
        JsonNode chunk = json.readTree(data);
        if (chunk.has("error") && !chunk.has("choices")) {
            JsonNode error = chunk.path("error");
            send(out, "error", AnthropicErrors.body(AnthropicErrors.typeOf(error.path("type").asString("")),
                    error.path("message").asString("The answer failed.")));
            ended = true;
            return;
        }
        if (!started) {
            start(chunk, out);
        }
        if (chunk.path("usage").isObject()) {
            inputTokens = chunk.path("usage").path("prompt_tokens").asLong(0);
            outputTokens = chunk.path("usage").path("completion_tokens").asLong(0);
        }
        if (chunk.get("consilium") instanceof ObjectNode consilium) {
            metadata = consilium;
        }
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode delta = choice.path("delta");
        String text = delta.path("content").asString("");
        if (!text.isEmpty()) {
            if (open != Block.TEXT) {
                close(out);
                ObjectNode block = json.createObjectNode().put("type", "text").put("text", "");
                begin(out, Block.TEXT, block);
            }
            ObjectNode event = event("content_block_delta").put("index", nextIndex - 1);
            event.putObject("delta").put("type", "text_delta").put("text", text);
            send(out, event);
        }
        for (JsonNode call : delta.path("tool_calls")) {
            int callIndex = call.path("index").asInt(0);
            if (!toolBlocks.containsKey(callIndex)) {
                close(out);
                ObjectNode block = json.createObjectNode().put("type", "tool_use")
                        .put("id", call.path("id").asString(""))
                        .put("name", call.path("function").path("name").asString(""));
                block.putObject("input");
                toolBlocks.put(callIndex, nextIndex);
                begin(out, Block.TOOL, block);
            }
            String arguments = call.path("function").path("arguments").asString("");
            if (!arguments.isEmpty()) {
                ObjectNode event = event("content_block_delta").put("index", toolBlocks.get(callIndex));
                event.putObject("delta").put("type", "input_json_delta").put("partial_json", arguments);
                send(out, event);
            }
        }
        if (choice.path("finish_reason").isString()) {
            stopReason = MessageAnswers.stopReason(choice.path("finish_reason").asString());
        }
    }

    private void start(JsonNode chunk, ServletOutputStream out) throws IOException {
        started = true;
        completionId = chunk.path("id").asString("");
        ObjectNode event = event("message_start");
        ObjectNode message = event.putObject("message");
        message.put("id", MessageAnswers.messageId(completionId));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", answers.usage(0, 0));
        send(out, event);
    }

    private void begin(ServletOutputStream out, Block kind, ObjectNode block) throws IOException {
        ObjectNode event = event("content_block_start").put("index", nextIndex);
        event.set("content_block", block);
        send(out, event);
        open = kind;
        nextIndex++;
    }

    private void close(ServletOutputStream out) throws IOException {
        if (open != Block.NONE) {
            send(out, event("content_block_stop").put("index", nextIndex - 1));
            open = Block.NONE;
        }
    }

    /** The end of a whole answer: its last block closed, the stop reason, usage and metadata, then the stop. */
    private void finish(ServletOutputStream out) throws IOException {
        if (!started) {
            start(json.createObjectNode(), out);
        }
        if (nextIndex == 0) {
            // An empty answer is one empty text block, as in a whole message.
            begin(out, Block.TEXT, json.createObjectNode().put("type", "text").put("text", ""));
        }
        close(out);
        ObjectNode delta = event("message_delta");
        delta.putObject("delta").put("stop_reason", stopReason == null ? "end_turn" : stopReason).putNull("stop_sequence");
        delta.set("usage", answers.usage(inputTokens, outputTokens));
        if (metadata != null) {
            delta.set("consilium", MessageAnswers.withCompletionId(metadata,
                    json.createObjectNode().put("id", completionId)));
        }
        send(out, delta);
        send(out, event("message_stop"));
        ended = true;
    }

    private ObjectNode event(String type) {
        return json.createObjectNode().put("type", type);
    }

    private void send(ServletOutputStream out, ObjectNode event) throws IOException {
        send(out, event.path("type").asString(), event);
    }

    private void send(ServletOutputStream out, String name, ObjectNode event) throws IOException {
        out.write(("event: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.write(json.writeValueAsBytes(event));
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
