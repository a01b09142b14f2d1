package io.consilium.registry.testing;

import com.sun.net.httpserver.HttpExchange;
import io.consilium.registry.testing.ContractReply.Refused;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The answers of an OpenAI-compatible server's {@code /responses} endpoint that keeps nothing (as with
 * {@code store: false}), made deterministic. {@code input} is a string or a list of items ({@code message},
 * {@code function_call}, {@code function_call_output}, {@code reasoning}); {@code instructions} are taken as the
 * system message. Offered function {@code tools} get one {@code function_call} item for the tool {@code tool_choice}
 * names (else the first), with arguments built from its parameters' required fields, until the last item is a
 * function's output, which gets a text naming it; {@code text.format} gets JSON ({@code json_schema}: its required
 * properties, of their types); anything else gets {@code "echo: <last user text>"}. {@code reasoning} adds a reasoning
 * item first (with {@code encrypted_content} when {@code include} asks for it). {@code max_output_tokens} cuts the text
 * and makes the response {@code incomplete}. Streams send the Responses event sequence, deltas {@code pace} apart,
 * the usage on {@code response.completed}. Requests such a server refuses get its 400 naming the parameter: a chat
 * body ({@code messages}), a {@code previous_response_id} (it stored nothing), an output answering no call, a
 * {@code tool_choice} naming no offered tool.
 */
final class ResponsesContractReply implements FakeOpenAiUpstream.Reply {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PIECE = 12;
    private static final AtomicInteger IDS = new AtomicInteger();

    private final Duration pace;

    ResponsesContractReply(Duration pace) {
        this.pace = pace;
    }

    /** What the answer holds: an optional reasoning item, then a text or one function call. */
    private record Answer(boolean reasoning, boolean encrypted, @Nullable String text, @Nullable JsonNode tool,
            String arguments, boolean incomplete) {}

    @Override
    public void send(HttpExchange exchange, JsonNode request, FakeOpenAiUpstream upstream) throws IOException {
        Answer answer;
        try {
            answer = answer(request);
        } catch (Refused refused) {
            refused.reply().send(exchange, request, upstream);
            return;
        }
        String id = "resp_fake" + IDS.incrementAndGet();
        List<ObjectNode> output = output(id, answer);
        if (!request.path("stream").asBoolean(false)) {
            FakeOpenAiUpstream.Reply.json(200, response(request, id, answer, output, true).toString())
                    .send(exchange, request, upstream);
            return;
        }
        stream(exchange, request, upstream, id, answer, output);
    }

    private static Answer answer(JsonNode request) throws Refused {
        for (String chatOnly : List.of("messages", "response_format", "max_tokens")) {
            if (request.has(chatOnly)) {
                throw new Refused(chatOnly, "Unsupported parameter: '" + chatOnly + "'. In the Responses API, this"
                        + " parameter has moved.");
            }
        }
        if (request.has("previous_response_id") && !request.get("previous_response_id").isNull()) {
            throw new Refused("previous_response_id", "Previous response with id '"
                    + request.get("previous_response_id").asString("") + "' not found.");
        }
        List<JsonNode> items = items(request.get("input"));
        checkCalls(items);
        JsonNode last = items.getLast();
        boolean toolOutput = "function_call_output".equals(last.path("type").asString(""));
        JsonNode tool = toolToCall(request, toolOutput);
        boolean reasoning = request.path("reasoning").isObject();
        boolean encrypted = false;
        for (JsonNode include : request.path("include")) {
            encrypted |= "reasoning.encrypted_content".equals(include.asString(""));
        }
        if (tool != null) {
            JsonNode parameters = tool.path("parameters");
            String arguments = JSON.writeValueAsString(ContractReply.example(parameters, parameters, "argument", 0));
            return new Answer(reasoning, encrypted, null, tool, arguments, false);
        }
        String text = toolOutput ? "The tool returned: " + toolResult(items, last) : "echo: " + lastUserText(items);
        JsonNode format = request.path("text").path("format");
        text = switch (format.path("type").asString("text")) {
            case "json_object" -> JSON.writeValueAsString(JSON.createObjectNode().put("answer", text));
            case "json_schema" -> JSON.writeValueAsString(
                    ContractReply.example(format.path("schema"), format.path("schema"), "value", 0));
            case "text" -> text;
            default -> throw new Refused("text.format.type", "Invalid value: " + format.path("type") + ".");
        };
        long limit = request.path("max_output_tokens").asLong(0);
        boolean cut = limit > 0 && tokens(text) > limit;
        return new Answer(reasoning, encrypted, cut ? text.substring(0, (int) Math.min(text.length() - 1, limit * 4)) : text, null, "", cut);
    }

    private static List<JsonNode> items(@Nullable JsonNode input) throws Refused {
        List<JsonNode> items = new ArrayList<>();
        if (input != null && input.isString()) {
            items.add(JSON.createObjectNode().put("type", "message").put("role", "user").put("content", input.asString()));
            return items;
        }
        if (input == null || !input.isArray() || input.isEmpty()) {
            throw new Refused("input", "'input' must be a string or a non-empty list of items.");
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String type = item.path("type").asString(item.has("role") ? "message" : "");
            switch (type) {
                case "message", "function_call", "function_call_output", "reasoning" -> items.add(item);
                default -> throw new Refused("input[" + i + "].type", "Invalid value: '" + type + "'.");
            }
        }
        return items;
    }

    /** Every output answers a call made before it, and every call made has its output unless it is the last item. */
    private static void checkCalls(List<JsonNode> items) throws Refused {
        Set<String> called = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            switch (item.path("type").asString("")) {
                case "function_call" -> called.add(item.path("call_id").asString(""));
                case "function_call_output" -> {
                    if (!called.contains(item.path("call_id").asString(""))) {
                        throw new Refused("input[" + i + "].call_id", "No tool call found for function call output"
                                + " with call_id " + item.path("call_id").asString("") + ".");
                    }
                }
                default -> { }
            }
        }
    }

    private static @Nullable JsonNode toolToCall(JsonNode request, boolean afterOutput) throws Refused {
        JsonNode tools = request.path("tools");
        JsonNode choice = request.path("tool_choice");
        if (!tools.isArray() || tools.isEmpty() || afterOutput || "none".equals(choice.asString(""))) {
            return null;
        }
        if (!choice.isObject()) {
            return tools.get(0);
        }
        String name = choice.path("name").asString("");
        for (JsonNode tool : tools) {
            if (name.equals(tool.path("name").asString(""))) {
                return tool;
            }
        }
        throw new Refused("tool_choice", "Tool choice '" + name + "' not found in 'tools' parameter.");
    }

    private static List<ObjectNode> output(String responseId, Answer answer) {
        List<ObjectNode> output = new ArrayList<>();
        String suffix = responseId.substring("resp_".length());
        if (answer.reasoning()) {
            ObjectNode reasoning = JSON.createObjectNode().put("id", "rs_" + suffix).put("type", "reasoning");
            reasoning.putArray("summary");
            if (answer.encrypted()) {
                reasoning.put("encrypted_content", "sealed-" + suffix);
            }
            output.add(reasoning);
        }
        if (answer.tool() != null) {
            output.add(JSON.createObjectNode().put("id", "fc_" + suffix).put("type", "function_call")
                    .put("status", "completed").put("call_id", "call_" + suffix)
                    .put("name", answer.tool().path("name").asString("")).put("arguments", answer.arguments()));
        } else {
            ObjectNode message = JSON.createObjectNode().put("id", "msg_" + suffix).put("type", "message")
                    .put("status", answer.incomplete() ? "incomplete" : "completed").put("role", "assistant");
            message.putArray("content").add(outputText(String.valueOf(answer.text())));
            output.add(message);
        }
        return output;
    }

    private static ObjectNode outputText(String text) {
        ObjectNode part = JSON.createObjectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        return part;
    }

    private static ObjectNode response(JsonNode request, String id, Answer answer, List<ObjectNode> output,
            boolean done) {
        ObjectNode response = JSON.createObjectNode();
        response.put("id", id);
        response.put("object", "response");
        response.put("created_at", 1_700_000_000L);
        response.put("status", !done ? "in_progress" : answer.incomplete() ? "incomplete" : "completed");
        response.putNull("error");
        if (done && answer.incomplete()) {
            response.putObject("incomplete_details").put("reason", "max_output_tokens");
        } else {
            response.putNull("incomplete_details");
        }
        for (String echoed : List.of("instructions", "max_output_tokens", "temperature", "top_p", "reasoning", "user")) {
            response.set(echoed, request.path(echoed).isMissingNode() ? JSON.nullNode() : request.get(echoed).deepCopy());
        }
        response.put("model", request.path("model").asString("unknown"));
        ArrayNode items = response.putArray("output");
        if (done) {
            output.forEach(item -> items.add(item.deepCopy()));
        }
        response.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
        response.putNull("previous_response_id");
        response.put("store", request.path("store").asBoolean(true));
        JsonNode text = request.path("text");
        response.set("text", text.isObject() ? text.deepCopy() : JSON.createObjectNode().set("format",
                JSON.createObjectNode().put("type", "text")));
        response.set("tool_choice", request.has("tool_choice") ? request.get("tool_choice").deepCopy()
                : JSON.getNodeFactory().stringNode("auto"));
        response.set("tools", request.has("tools") ? request.get("tools").deepCopy() : JSON.createArrayNode());
        response.put("truncation", request.path("truncation").asString("disabled"));
        if (done) {
            long in = tokens(String.valueOf(request.path("instructions").asString(""))) + tokens(request.path("input").toString());
            long out = tokens(answer.text() != null ? answer.text() : answer.tool().path("name").asString() + answer.arguments());
            ObjectNode usage = response.putObject("usage");
            usage.put("input_tokens", in);
            usage.putObject("input_tokens_details").put("cached_tokens", 0);
            usage.put("output_tokens", out);
            usage.putObject("output_tokens_details").put("reasoning_tokens", answer.reasoning() ? 3 : 0);
            usage.put("total_tokens", in + out);
        } else {
            response.putNull("usage");
        }
        response.set("metadata", request.path("metadata").isObject() ? request.get("metadata").deepCopy()
                : JSON.createObjectNode());
        return response;
    }

    private void stream(HttpExchange exchange, JsonNode request, FakeOpenAiUpstream upstream, String id, Answer answer,
            List<ObjectNode> output) throws IOException {
        OutputStream out = ScriptedUpstream.startEvents(exchange);
        Events events = new Events(out);
        ObjectNode started = response(request, id, answer, output, false);
        events.send(JSON.createObjectNode().put("type", "response.created").set("response", started));
        events.send(JSON.createObjectNode().put("type", "response.in_progress").set("response", started));
        for (int index = 0; index < output.size(); index++) {
            ObjectNode item = output.get(index);
            String itemId = item.path("id").asString();
            String type = item.path("type").asString();
            ObjectNode opened = item.deepCopy();
            if (type.equals("message")) {
                opened.put("status", "in_progress").putArray("content");
            } else if (type.equals("function_call")) {
                opened.put("status", "in_progress").put("arguments", "");
            }
            events.send(JSON.createObjectNode().put("type", "response.output_item.added").put("output_index", index)
                    .set("item", opened));
            if (type.equals("message")) {
                String text = item.path("content").path(0).path("text").asString("");
                events.send(itemEvent("response.content_part.added", itemId, index).put("content_index", 0)
                        .set("part", outputText("")));
                for (String piece : words(text)) {
                    upstream.pause(pace);
                    events.send(itemEvent("response.output_text.delta", itemId, index).put("content_index", 0)
                            .put("delta", piece));
                }
                events.send(itemEvent("response.output_text.done", itemId, index).put("content_index", 0)
                        .put("text", text));
                events.send(itemEvent("response.content_part.done", itemId, index).put("content_index", 0)
                        .set("part", outputText(text)));
            } else if (type.equals("function_call")) {
                String arguments = item.path("arguments").asString("");
                for (int start = 0; start < arguments.length(); start += PIECE) {
                    upstream.pause(pace);
                    events.send(itemEvent("response.function_call_arguments.delta", itemId, index)
                            .put("delta", arguments.substring(start, Math.min(arguments.length(), start + PIECE))));
                }
                events.send(itemEvent("response.function_call_arguments.done", itemId, index)
                        .put("arguments", arguments));
            }
            events.send(JSON.createObjectNode().put("type", "response.output_item.done").put("output_index", index)
                    .set("item", item.deepCopy()));
        }
        String end = answer.incomplete() ? "response.incomplete" : "response.completed";
        events.send(JSON.createObjectNode().put("type", end).set("response", response(request, id, answer, output, true)));
    }

    private static ObjectNode itemEvent(String type, String itemId, int index) {
        return JSON.createObjectNode().put("type", type).put("item_id", itemId).put("output_index", index);
    }

    /** Writes each event with its {@code event:} line and a sequence number, flushed at once. */
    private static final class Events {

        private final OutputStream out;
        private int sequence;

        Events(OutputStream out) {
            this.out = out;
        }

        void send(ObjectNode event) throws IOException {
            event.put("sequence_number", sequence++);
            out.write(("event: " + event.path("type").asString() + "\ndata: " + event + "\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static String toolResult(List<JsonNode> items, JsonNode output) {
        String name = "tool";
        for (JsonNode item : items) {
            if ("function_call".equals(item.path("type").asString(""))
                    && item.path("call_id").asString("").equals(output.path("call_id").asString())) {
                name = item.path("name").asString("tool");
            }
        }
        JsonNode result = output.path("output");
        return name + " → " + (result.isString() ? result.asString() : result.toString());
    }

    private static String lastUserText(List<JsonNode> items) {
        for (int i = items.size() - 1; i >= 0; i--) {
            JsonNode item = items.get(i);
            if ("message".equals(item.path("type").asString("message")) && "user".equals(item.path("role").asString(""))) {
                JsonNode content = item.path("content");
                if (content.isString()) {
                    return content.asString();
                }
                List<String> texts = new ArrayList<>();
                for (JsonNode part : content) {
                    if ("input_text".equals(part.path("type").asString(""))) {
                        texts.add(part.path("text").asString(""));
                    }
                }
                return String.join(" ", texts);
            }
        }
        return "";
    }

    private static long tokens(String text) {
        return (text.length() + 3) / 4;
    }

    private static List<String> words(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("(?<= )"));
    }
}
