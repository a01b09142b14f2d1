package io.consilium.registry.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real HTTP server on loopback that speaks Anthropic's Messages API ({@code POST /v1/messages}),
 * server-sent events included. Replies are scripted one per request ({@link #enqueue}); with nothing
 * scripted it answers {@code "echo: <last user message>"} in whichever mode the request asked for.
 * Every request is kept for inspection.
 */
public final class FakeAnthropicUpstream extends ScriptedUpstream<FakeAnthropicUpstream> implements FakeUpstream {

    /** Input tokens every scripted answer reports. */
    public static final int INPUT_TOKENS = 25;

    private FakeAnthropicUpstream() {}

    public static FakeAnthropicUpstream start() {
        return new FakeAnthropicUpstream();
    }

    /** The API root to register as an expert's {@code base-url} (the SDK adds {@code /v1/messages}). */
    public String baseUrl() {
        return root();
    }

    @Override
    protected Reply defaultReply() {
        return Reply.echo();
    }

    @Override
    public void refuseNext(int status, String message, String... headers) {
        enqueue(Reply.error(status, status == 429 ? "rate_limit_error" : status >= 500 ? "api_error"
                : "invalid_request_error", message, headers));
    }

    @Override
    public void hangNext() {
        enqueue(Reply.hang());
    }

    @Override
    public void streamNextWithoutEnd(String firstPiece) {
        enqueue(Reply.streamForever(firstPiece));
    }

    @Override
    public JsonNode lastRequestBody() {
        return lastReceived().body();
    }

    /** The {@code system} field: one string, or text blocks joined. */
    @Override
    public String lastSystemText() {
        JsonNode system = lastRequestBody().path("system");
        if (system.isString()) {
            return system.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : system) {
            text.append(block.path("text").asString(""));
        }
        return text.toString();
    }

    /** One scripted reply, with factories for the usual ones. */
    @FunctionalInterface
    public interface Reply extends ScriptedUpstream.Reply<FakeAnthropicUpstream> {

        /** Answers {@code echo: <last user message>}, streamed if the request asked for it. */
        static Reply echo() {
            return (exchange, request, upstream) -> {
                String text = "echo: " + lastUserText(request);
                if (request.path("stream").asBoolean(false)) {
                    stream(List.of(text), "end_turn", Duration.ZERO).send(exchange, request, upstream);
                } else {
                    message(text, "end_turn", 7).send(exchange, request, upstream);
                }
            };
        }

        /** A whole message with one text block, the request's model and the given stop reason. */
        static Reply message(String text, String stopReason, int outputTokens) {
            return (exchange, request, upstream) -> {
                ObjectNode message = messageObject(request);
                message.putArray("content").addObject().put("type", "text").put("text", text);
                message.put("stop_reason", stopReason);
                message.putObject("usage").put("input_tokens", INPUT_TOKENS).put("output_tokens", outputTokens);
                json(200, message.toString()).send(exchange, request, upstream);
            };
        }

        /** A raw JSON answer with the given status and extra headers (name, value, name, value…). */
        static Reply json(int status, String body, String... headers) {
            return (exchange, request, upstream) -> {
                for (int i = 0; i + 1 < headers.length; i += 2) {
                    exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
                }
                exchange.getResponseHeaders().add("content-type", "application/json");
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    exchange.getResponseBody().write(bytes);
                }
            };
        }

        /** An Anthropic error answer, e.g. {@code error(400, "invalid_request_error", "max_tokens: …")}. */
        static Reply error(int status, String type, String message, String... headers) {
            return json(status, errorObject(type, message).toString(), headers);
        }

        /**
         * The real event sequence of a streamed message: {@code message_start}, {@code content_block_start},
         * {@code ping}, one {@code content_block_delta} per piece ({@code pace} apart),
         * {@code content_block_stop}, {@code message_delta} with the stop reason and usage, {@code message_stop}.
         */
        static Reply stream(List<String> pieces, String stopReason, Duration pace) {
            return (exchange, request, upstream) -> {
                OutputStream out = startEvents(exchange);
                writeOpening(out, request);
                for (String piece : pieces) {
                    upstream.pause(pace);
                    writeDelta(out, piece);
                }
                writeEvent(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
                ObjectNode delta = JSON.createObjectNode().put("type", "message_delta");
                delta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
                delta.putObject("usage").put("output_tokens", pieces.size());
                writeEvent(out, "message_delta", delta.toString());
                writeEvent(out, "message_stop", "{\"type\":\"message_stop\"}");
            };
        }

        /** Streams the pieces, then an {@code error} event, as Anthropic does when it overloads mid-answer. */
        static Reply streamThenError(List<String> pieces, String type, String message) {
            return (exchange, request, upstream) -> {
                OutputStream out = startEvents(exchange);
                writeOpening(out, request);
                for (String piece : pieces) {
                    writeDelta(out, piece);
                }
                ObjectNode error = errorObject(type, message);
                writeEvent(out, "error", error.toString());
            };
        }

        /** Streams the pieces, then drops the connection without finishing. */
        static Reply streamThenDrop(List<String> pieces) {
            return (exchange, request, upstream) -> {
                OutputStream out = startEvents(exchange);
                writeOpening(out, request);
                for (String piece : pieces) {
                    writeDelta(out, piece);
                }
                // Leaving the exchange open and failing makes the server cut the connection mid-body.
                throw new IOException("connection dropped on purpose");
            };
        }

        /** Streams the opening events and one piece, then keeps writing pings until the client goes away. */
        static Reply streamForever(String firstPiece) {
            return (exchange, request, upstream) -> {
                OutputStream out = startEvents(exchange);
                writeOpening(out, request);
                writeDelta(out, firstPiece);
                while (!upstream.isStopping()) {
                    upstream.pause(Duration.ofMillis(20));
                    writeEvent(out, "ping", "{\"type\":\"ping\"}");
                }
            };
        }

        /** Never answers until the server stops or a minute passes. */
        static Reply hang() {
            return (exchange, request, upstream) -> {
                upstream.pause(Duration.ofMinutes(1));
            };
        }
    }

    private static void writeOpening(OutputStream out, JsonNode request) throws IOException {
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = messageObject(request);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putObject("usage").put("input_tokens", INPUT_TOKENS).put("output_tokens", 1);
        start.set("message", message);
        writeEvent(out, "message_start", start.toString());
        writeEvent(out, "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        writeEvent(out, "ping", "{\"type\":\"ping\"}");
    }

    private static void writeDelta(OutputStream out, String piece) throws IOException {
        ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
        delta.putObject("delta").put("type", "text_delta").put("text", piece);
        writeEvent(out, "content_block_delta", delta.toString());
    }

    private static ObjectNode messageObject(JsonNode request) {
        ObjectNode message = JSON.createObjectNode();
        message.put("id", "msg_1");
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", request.path("model").asString("unknown"));
        message.putNull("stop_sequence");
        return message;
    }

    private static ObjectNode errorObject(String type, String message) {
        ObjectNode error = JSON.createObjectNode().put("type", "error");
        error.putObject("error").put("type", type).put("message", message);
        return error;
    }


    private static void writeEvent(OutputStream out, String event, String data) throws IOException {
        out.write(("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String lastUserText(JsonNode request) {
        JsonNode messages = request.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asString(""))) {
                JsonNode content = messages.get(i).path("content");
                if (content.isString()) {
                    return content.asString();
                }
                StringBuilder text = new StringBuilder();
                for (JsonNode block : content) {
                    text.append(block.path("text").asString(""));
                }
                return text.toString();
            }
        }
        return "";
    }

}
