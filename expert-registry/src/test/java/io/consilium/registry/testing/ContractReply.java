package io.consilium.registry.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The answers of an OpenAI-compatible model that follows the chat completions contract, made deterministic:
 * offered {@code tools} get one call of the tool {@code tool_choice} asks for (else the first), with arguments
 * built from its parameters' required fields, until the last message is a tool's result, which then gets a
 * text naming that result; {@code response_format} gets a JSON object ({@code json_schema}: one with the
 * schema's required properties, of their types); {@code n} gets that many choices; anything else gets
 * {@code "echo: <last user message>"}. Streams send those answers as OpenAI does: several chunks {@code pace}
 * apart, tool calls as argument deltas, choices interleaved, the usage chunk only when
 * {@code stream_options.include_usage} asks for it. Requests OpenAI refuses (a tool result answering no call,
 * a call left without its result, {@code tool_choice} naming a tool not offered, a bad {@code n}) get its 400.
 */
final class ContractReply implements FakeOpenAiUpstream.Reply {

    /** OpenAI's own bound on {@code n}. */
    private static final int MAX_CHOICES = 128;
    /** JSON content and tool arguments are streamed in pieces this long. */
    private static final int PIECE = 12;
    /** Enough for any schema a client sends; a recursive {@code $ref} stops here instead of looping. */
    private static final int MAX_DEPTH = 10;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JSON.getNodeFactory();

    private final Duration pace;

    ContractReply(Duration pace) {
        if (pace.isNegative()) {
            throw new IllegalArgumentException("pace must not be negative, but was " + pace);
        }
        this.pace = pace;
    }

    /** One choice of the answer: text (plain or JSON) or a call of one tool. */
    private record Choice(@Nullable String content, @Nullable ToolCall call, boolean structured) {

        String finishReason() {
            return call != null ? "tool_calls" : "stop";
        }

        String generated() {
            return call != null ? call.name() + call.arguments() : content != null ? content : "";
        }
    }

    private record ToolCall(String id, String name, String arguments) {}

    /** A request OpenAI would answer with a 400 naming {@code param}; {@link ResponsesContractReply} refuses alike. */
    static final class Refused extends Exception {

        private final String param;

        Refused(String param, String message) {
            super(message, null, false, false);
            this.param = param;
        }

        /** OpenAI's 400 for the refusal: an {@code invalid_request_error} naming the parameter. */
        FakeOpenAiUpstream.Reply reply() {
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error").put("message", getMessage()).put("type", "invalid_request_error")
                    .put("param", param).putNull("code");
            return FakeOpenAiUpstream.Reply.json(400, error.toString());
        }
    }

    @Override
    public void send(HttpExchange exchange, JsonNode request, FakeOpenAiUpstream upstream) throws IOException {
        List<Choice> choices;
        try {
            choices = choices(request);
        } catch (Refused refused) {
            refused.reply().send(exchange, request, upstream);
            return;
        }
        if (request.path("stream").asBoolean(false)) {
            stream(exchange, request, upstream, choices);
        } else {
            FakeOpenAiUpstream.Reply.json(200, completion(request, choices).toString()).send(exchange, request, upstream);
        }
    }

    private List<Choice> choices(JsonNode request) throws Refused {
        JsonNode messages = request.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw new Refused("messages", "'messages' must be a non-empty array.");
        }
        checkToolRoundTrips(messages);
        int n = choiceCount(request.path("n"));
        JsonNode tool = toolToCall(request);
        JsonNode last = messages.get(messages.size() - 1);
        List<Choice> choices = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            String label = n == 1 ? "" : " (choice " + i + " of " + n + ")";
            if (tool != null) {
                JsonNode function = tool.path("function");
                JsonNode parameters = function.path("parameters");
                String arguments = JSON.writeValueAsString(example(parameters, parameters, "argument", 0));
                choices.add(new Choice(null, new ToolCall("call_fake" + i + "_" + messages.size(),
                        function.path("name").asString(), arguments), false));
                continue;
            }
            String text = "tool".equals(last.path("role").asString(""))
                    ? "The tool returned: " + toolResults(messages) + label
                    : "echo: " + lastUserText(messages) + label;
            choices.add(content(request.path("response_format"), text));
        }
        return choices;
    }

    /** Every tool result answers a call of the assistant message before it, and every call gets its result. */
    private static void checkToolRoundTrips(JsonNode messages) throws Refused {
        Set<String> open = new HashSet<>();
        int caller = -1;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String role = message.path("role").asString("");
            if ("tool".equals(role)) {
                String id = message.path("tool_call_id").asString("");
                if (!open.remove(id)) {
                    throw new Refused("messages[" + i + "].tool_call_id", "Invalid parameter: messages with role"
                            + " 'tool' must be a response to a preceding message with 'tool_calls'; '" + id
                            + "' answers no open call.");
                }
                continue;
            }
            if (!open.isEmpty()) {
                throw new Refused("messages[" + caller + "]", "An assistant message with 'tool_calls' must be"
                        + " followed by tool messages responding to each 'tool_call_id'; missing: " + open + ".");
            }
            if ("assistant".equals(role)) {
                for (JsonNode call : message.path("tool_calls")) {
                    open.add(call.path("id").asString(""));
                }
                caller = i;
            }
        }
        if (!open.isEmpty()) {
            throw new Refused("messages[" + caller + "]", "An assistant message with 'tool_calls' must be"
                    + " followed by tool messages responding to each 'tool_call_id'; missing: " + open + ".");
        }
    }

    private static int choiceCount(JsonNode n) throws Refused {
        if (n.isMissingNode() || n.isNull()) {
            return 1;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > MAX_CHOICES) {
            throw new Refused("n", "'n' must be an integer between 1 and " + MAX_CHOICES + ", but was " + n + ".");
        }
        return n.asInt();
    }

    /**
     * The tool this answer calls: the one {@code tool_choice} names, else the first offered; none when no tool
     * is offered, when {@code tool_choice} is {@code "none"}, or when the last message is a tool's result.
     */
    private static @Nullable JsonNode toolToCall(JsonNode request) throws Refused {
        JsonNode tools = request.path("tools");
        JsonNode choice = request.path("tool_choice");
        boolean offered = tools.isArray() && !tools.isEmpty();
        if (!offered) {
            if (!choice.isMissingNode() && !choice.isNull() && !"none".equals(choice.asString(""))) {
                throw new Refused("tool_choice", "'tool_choice' is only allowed when 'tools' are specified.");
            }
            return null;
        }
        JsonNode messages = request.path("messages");
        if ("none".equals(choice.asString("")) || "tool".equals(messages.path(messages.size() - 1).path("role").asString(""))) {
            return null;
        }
        if (!choice.isObject()) {
            return tools.get(0);
        }
        String name = choice.path("function").path("name").asString("");
        for (JsonNode tool : tools) {
            if (name.equals(tool.path("function").path("name").asString(""))) {
                return tool;
            }
        }
        throw new Refused("tool_choice", "'tool_choice' names the function '" + name + "', which is not among the 'tools'.");
    }

    private static Choice content(JsonNode format, String text) throws Refused {
        return switch (format.path("type").asString("text")) {
            case "text" -> new Choice(text, null, false);
            case "json_object" -> {
                ObjectNode answer = JSON.createObjectNode().put("answer", text);
                yield new Choice(JSON.writeValueAsString(answer), null, true);
            }
            case "json_schema" -> {
                JsonNode schema = format.path("json_schema").path("schema");
                yield new Choice(JSON.writeValueAsString(example(schema, schema, "value", 0)), null, true);
            }
            default -> throw new Refused("response_format.type", "'response_format.type' must be text, json_object"
                    + " or json_schema, but was " + format.path("type") + ".");
        };
    }

    /** A value the schema accepts: an object holds its required properties only, each of its type; shared with {@link ResponsesContractReply}. */
    static JsonNode example(JsonNode root, JsonNode schema, String name, int depth) {
        JsonNode resolved = resolve(root, schema);
        if (resolved.has("const")) {
            return resolved.get("const");
        }
        if (resolved.path("enum").isArray() && !resolved.path("enum").isEmpty()) {
            return resolved.path("enum").get(0);
        }
        if (depth >= MAX_DEPTH) {
            return NODES.nullNode();
        }
        for (String alternatives : List.of("anyOf", "oneOf")) {
            for (JsonNode alternative : resolved.path(alternatives)) {
                if (!"null".equals(resolve(root, alternative).path("type").asString(""))) {
                    return example(root, alternative, name, depth + 1);
                }
            }
        }
        return switch (type(resolved)) {
            case "object" -> {
                ObjectNode object = JSON.createObjectNode();
                for (JsonNode required : resolved.path("required")) {
                    String property = required.asString();
                    object.set(property, example(root, resolved.path("properties").path(property), property, depth + 1));
                }
                yield object;
            }
            case "array" -> {
                ArrayNode array = JSON.createArrayNode();
                for (int i = 0; i < resolved.path("minItems").asInt(0); i++) {
                    array.add(example(root, resolved.path("items"), name, depth + 1));
                }
                yield array;
            }
            case "integer" -> NODES.numberNode(resolved.path("minimum").asLong(1));
            case "number" -> NODES.numberNode(resolved.has("minimum") ? resolved.path("minimum").asDouble() : 1.5);
            case "boolean" -> NODES.booleanNode(true);
            case "null" -> NODES.nullNode();
            default -> NODES.stringNode("fake " + name);
        };
    }

    /** Follows local {@code $ref}s ({@code #/$defs/…}, {@code #/definitions/…}) from the schema's root. */
    private static JsonNode resolve(JsonNode root, JsonNode schema) {
        JsonNode resolved = schema;
        for (int hops = 0; resolved.path("$ref").isString() && hops < MAX_DEPTH; hops++) {
            String ref = resolved.path("$ref").asString();
            resolved = ref.startsWith("#") ? root.at(ref.substring(1)) : JSON.createObjectNode();
        }
        return resolved;
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode each : type) {
                if (!"null".equals(each.asString(""))) {
                    return each.asString("");
                }
            }
            return "null";
        }
        if (type.isString()) {
            return type.asString();
        }
        return schema.has("properties") ? "object" : schema.has("items") ? "array" : "string";
    }

    private static ObjectNode completion(JsonNode request, List<Choice> choices) {
        ObjectNode completion = FakeOpenAiUpstream.envelope(request, "chat.completion");
        ArrayNode array = completion.putArray("choices");
        for (int i = 0; i < choices.size(); i++) {
            Choice choice = choices.get(i);
            ObjectNode entry = array.addObject();
            entry.put("index", i);
            ObjectNode message = entry.putObject("message").put("role", "assistant");
            if (choice.call() != null) {
                message.putNull("content");
                ObjectNode call = message.putArray("tool_calls").addObject();
                call.put("id", choice.call().id()).put("type", "function");
                call.putObject("function").put("name", choice.call().name()).put("arguments", choice.call().arguments());
            } else {
                message.put("content", choice.content());
            }
            entry.putNull("logprobs");
            entry.put("finish_reason", choice.finishReason());
        }
        completion.set("usage", usage(request, choices));
        return completion;
    }

    private void stream(HttpExchange exchange, JsonNode request, FakeOpenAiUpstream upstream, List<Choice> choices)
            throws IOException {
        boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
        List<Deque<ObjectNode>> runs = new ArrayList<>();
        for (Choice choice : choices) {
            runs.add(deltas(choice));
        }
        OutputStream out = FakeOpenAiUpstream.startEvents(exchange);
        boolean first = true;
        // Choices interleaved and all finished last, as OpenAI streams n > 1.
        while (runs.stream().anyMatch(run -> !run.isEmpty())) {
            for (int index = 0; index < runs.size(); index++) {
                ObjectNode delta = runs.get(index).poll();
                if (delta == null) {
                    continue;
                }
                if (!first) {
                    upstream.pause(pace);
                }
                first = false;
                write(out, chunk(request, index, delta, null, includeUsage));
            }
        }
        for (int index = 0; index < choices.size(); index++) {
            write(out, chunk(request, index, JSON.createObjectNode(), choices.get(index).finishReason(), includeUsage));
        }
        if (includeUsage) {
            ObjectNode usage = FakeOpenAiUpstream.envelope(request, "chat.completion.chunk");
            usage.putArray("choices");
            usage.set("usage", usage(request, choices));
            write(out, usage);
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The deltas of one choice up to its finish: the role, then the text in words or the JSON and arguments in pieces. */
    private static Deque<ObjectNode> deltas(Choice choice) {
        Deque<ObjectNode> deltas = new ArrayDeque<>();
        ToolCall call = choice.call();
        if (call != null) {
            ObjectNode opening = JSON.createObjectNode().put("role", "assistant").putNull("content");
            ObjectNode first = opening.putArray("tool_calls").addObject();
            first.put("index", 0).put("id", call.id()).put("type", "function");
            first.putObject("function").put("name", call.name()).put("arguments", "");
            deltas.add(opening);
            for (String piece : pieces(call.arguments())) {
                ObjectNode delta = JSON.createObjectNode();
                delta.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", piece);
                deltas.add(delta);
            }
            return deltas;
        }
        String content = choice.content() != null ? choice.content() : "";
        deltas.add(JSON.createObjectNode().put("role", "assistant").put("content", ""));
        for (String piece : choice.structured() ? pieces(content) : words(content)) {
            deltas.add(JSON.createObjectNode().put("content", piece));
        }
        return deltas;
    }

    private static ObjectNode chunk(JsonNode request, int index, ObjectNode delta, @Nullable String finish,
            boolean includeUsage) {
        ObjectNode chunk = FakeOpenAiUpstream.envelope(request, "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", index);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        if (includeUsage) {
            // OpenAI puts a null usage on every chunk before the usage chunk when it was asked for.
            chunk.putNull("usage");
        }
        return chunk;
    }

    private static void write(OutputStream out, ObjectNode event) throws IOException {
        out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Tokens counted as a quarter of the characters, about what real tokenizers give for English and JSON. */
    private static ObjectNode usage(JsonNode request, List<Choice> choices) {
        long prompt = 0;
        for (JsonNode message : request.path("messages")) {
            prompt += 4 + tokens(message.path("content").isString() ? message.path("content").asString()
                    : message.path("content").toString());
        }
        long completion = 0;
        for (Choice choice : choices) {
            completion += tokens(choice.generated());
        }
        return JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    private static long tokens(String text) {
        return (text.length() + 3) / 4;
    }

    /** The results of the tools called by the last assistant message, each with the name of its tool. */
    private static String toolResults(JsonNode messages) {
        List<String> results = new ArrayList<>();
        int i = messages.size() - 1;
        while (i >= 0 && "tool".equals(messages.get(i).path("role").asString(""))) {
            i--;
        }
        JsonNode calls = i >= 0 ? messages.get(i).path("tool_calls") : JSON.createArrayNode();
        for (int j = i + 1; j < messages.size(); j++) {
            JsonNode result = messages.get(j);
            String name = "tool";
            for (JsonNode call : calls) {
                if (call.path("id").asString("").equals(result.path("tool_call_id").asString())) {
                    name = call.path("function").path("name").asString("tool");
                }
            }
            results.add(name + " → " + text(result.path("content")));
        }
        return String.join("; ", results);
    }

    private static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asString(""))) {
                return text(messages.get(i).path("content"));
            }
        }
        return "";
    }

    /** A message's text: the string, or its text parts joined. */
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
        return String.join(" ", parts);
    }

    /** Words with their trailing space kept, so that the chunks concatenated give the text back. */
    private static List<String> words(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("(?<= )"));
    }

    /** Pieces of a fixed length that never split a surrogate pair. */
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
