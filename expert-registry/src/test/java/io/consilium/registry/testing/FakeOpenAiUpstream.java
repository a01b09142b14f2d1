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
import java.util.ArrayList;
import java.util.List;
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
 * A real HTTP server on loopback that speaks OpenAI's chat completions protocol, SSE included. Replies
 * are scripted one per request ({@link #enqueue}); with nothing scripted it answers
 * {@code "echo: <last user message>"} in whichever mode the request asked for, or, when started with
 * {@link #startHonouringContract}, as a model that follows the whole contract would ({@link Reply#contract}).
 * Requests to {@code /v1/embeddings} with nothing scripted get {@link Reply#embeddings()}, an embeddings
 * model that follows the contract, and requests to {@code /v1/responses} get {@link Reply#responses}, a Responses API
 * endpoint that follows its contract and stores nothing. Every request is kept for inspection, with its path, so a
 * test can tell which API a call went to.
 */
public final class FakeOpenAiUpstream extends ScriptedUpstream<FakeOpenAiUpstream> implements FakeUpstream {

    private final Reply unscripted;

    private FakeOpenAiUpstream(Reply unscripted, Duration pace) {
        // Set before super() starts the server, so that no request can find it unset.
        this.unscripted = Reply.embeddingsOr(Reply.responsesOr(pace, unscripted));
        super();
    }

    /** An upstream that echoes the last user message when nothing is scripted. */
    public static FakeOpenAiUpstream start() {
        return new FakeOpenAiUpstream(Reply.echo(), Duration.ZERO);
    }

    /**
     * An upstream that, when nothing is scripted, answers as {@link Reply#contract} does: tool calls, tool
     * results, JSON, {@code n} choices and streams in OpenAI's shapes, stream chunks {@code pace} apart.
     */
    public static FakeOpenAiUpstream startHonouringContract(Duration pace) {
        return new FakeOpenAiUpstream(Reply.contract(pace), pace);
    }

    /** Base URL to register as an expert's {@code base-url}. */
    public String baseUrl() {
        return root() + "/v1";
    }

    @Override
    protected Reply defaultReply() {
        return unscripted;
    }

    @Override
    public void refuseNext(int status, String message, String... headers) {
        enqueue(Reply.error(status, message, headers));
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

    /** The contents of the system messages the request starts with. */
    @Override
    public String lastSystemText() {
        List<String> system = new ArrayList<>();
        for (JsonNode message : lastRequestBody().path("messages")) {
            if (!"system".equals(message.path("role").asString(""))) {
                break;
            }
            system.add(message.path("content").asString(""));
        }
        return String.join("\n\n", system);
    }

    /** One scripted reply, with factories for the usual ones. */
    @FunctionalInterface
    public interface Reply extends ScriptedUpstream.Reply<FakeOpenAiUpstream> {

        /** Answers {@code echo: <last user message>}, streamed if the request asked for it. */
        static Reply echo() {
            return (exchange, request, upstream) -> {
                String text = "echo: " + lastUserText(request);
                if (request.path("stream").asBoolean(false)) {
                    stream(List.of(text), Duration.ZERO).send(exchange, request, upstream);
                } else {
                    completion(text).send(exchange, request, upstream);
                }
            };
        }

        /**
         * What a model that follows the chat completions contract answers, deterministically: a call of the tool
         * {@code tool_choice} asks for (else the first offered) with arguments built from its parameters' required
         * fields, until the last message is a tool's result, which gets a text naming it; JSON for
         * {@code response_format} (a {@code json_schema}'s required properties, of their types); {@code n}
         * choices; otherwise {@code "echo: <last user message>"}. Streamed as several chunks {@code pace} apart,
         * tool calls as argument deltas, the usage chunk only when {@code stream_options.include_usage} asks.
         * Requests OpenAI refuses (a tool result answering no call, a call without its result, a
         * {@code tool_choice} naming no offered tool, a bad {@code n}) get its 400 naming the parameter.
         */
        static Reply contract(Duration pace) {
            return new ContractReply(pace);
        }

        /** The vector size of {@link #embeddings()} when the request does not ask for {@code dimensions}. */
        int EMBEDDING_DIMENSIONS = 64;

        /**
         * What an OpenAI embeddings endpoint answers, deterministically: one unit vector per input (a text, a
         * list of texts, a list of token ids or a list of such lists), drawn from a seed of the input, of
         * {@value #EMBEDDING_DIMENSIONS} dimensions or the {@code dimensions} asked (then cut and made unit length
         * again, as OpenAI's models do); floats, or little-endian float32 in base64 for
         * {@code encoding_format: base64}; usage counts one token per word (per id for token input). Bad input,
         * an unknown {@code encoding_format} and {@code dimensions} outside 1..64 get OpenAI's 400 naming the
         * parameter.
         */
        static Reply embeddings() {
            return FakeEmbeddings::answer;
        }

        /** {@link #embeddings()} for requests to {@code /embeddings}, {@code other} for the rest. */
        static Reply embeddingsOr(Reply other) {
            return (exchange, request, upstream) -> {
                if (exchange.getRequestURI().getPath().endsWith("/embeddings")) {
                    embeddings().send(exchange, request, upstream);
                } else {
                    other.send(exchange, request, upstream);
                }
            };
        }

        /**
         * What an OpenAI-compatible {@code /responses} endpoint that stores nothing answers, deterministically (see
         * {@link ResponsesContractReply}): input items, instructions, function tools and their outputs,
         * {@code text.format}, {@code max_output_tokens}, reasoning items, and streams as the Responses event
         * sequence with deltas {@code pace} apart; what such a server refuses (a chat body, a
         * {@code previous_response_id}) gets its 400 naming the parameter.
         */
        static Reply responses(Duration pace) {
            return new ResponsesContractReply(pace);
        }

        /** {@link #responses} for requests to {@code /responses}, {@code other} for the rest. */
        static Reply responsesOr(Duration pace, Reply other) {
            Reply responses = responses(pace);
            return (exchange, request, upstream) -> {
                if (exchange.getRequestURI().getPath().endsWith("/responses")) {
                    responses.send(exchange, request, upstream);
                } else {
                    other.send(exchange, request, upstream);
                }
            };
        }

        /**
         * A Responses stream that starts, sends one text delta, then ends with {@code response.failed} carrying the
         * message, as OpenAI ends a response that failed while it was being generated.
         */
        static Reply responsesStreamThenFail(String firstPiece, String message) {
            return (exchange, request, upstream) -> {
                OutputStream out = startEvents(exchange);
                ObjectNode response = JSON.createObjectNode().put("id", "resp_broken").put("object", "response")
                        .put("status", "in_progress").put("model", request.path("model").asString(""));
                response.putArray("output");
                writeEvent(out, JSON.createObjectNode().put("type", "response.created").put("sequence_number", 0)
                        .set("response", response).toString());
                ObjectNode item = JSON.createObjectNode().put("id", "msg_broken").put("type", "message")
                        .put("status", "in_progress").put("role", "assistant");
                item.putArray("content");
                writeEvent(out, JSON.createObjectNode().put("type", "response.output_item.added").put("sequence_number", 1)
                        .put("output_index", 0).set("item", item).toString());
                writeEvent(out, JSON.createObjectNode().put("type", "response.output_text.delta").put("sequence_number", 2)
                        .put("item_id", "msg_broken").put("output_index", 0).put("content_index", 0)
                        .put("delta", firstPiece).toString());
                ObjectNode failed = response.deepCopy().put("status", "failed");
                failed.putObject("error").put("code", "server_error").put("message", message);
                writeEvent(out, JSON.createObjectNode().put("type", "response.failed").put("sequence_number", 3)
                        .set("response", failed).toString());
            };
        }

        /** A non-streamed completion with the given text and the request's model. */
        static Reply completion(String text) {
            return (exchange, request, upstream) -> {
                ObjectNode answer = envelope(request, "chat.completion");
                ObjectNode choice = answer.putArray("choices").addObject();
                choice.put("index", 0);
                choice.putObject("message").put("role", "assistant").put("content", text);
                choice.put("finish_reason", "stop");
                answer.putObject("usage").put("prompt_tokens", 11).put("completion_tokens", 7).put("total_tokens", 18);
                json(200, answer.toString()).send(exchange, request, upstream);
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

        /** An OpenAI-shaped error answer. */
        static Reply error(int status, String message, String... headers) {
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error").put("message", message).put("type", "server_error");
            return json(status, error.toString(), headers);
        }

        /** Streams one content chunk per piece, {@code pace} apart, then a final chunk and {@code [DONE]}. */
        static Reply stream(List<String> pieces, Duration pace) {
            return (exchange, request, upstream) -> {
                OutputStream out = startEvents(exchange);
                writeEvent(out, chunk(request, delta -> delta.put("role", "assistant").put("content", ""), null));
                for (String piece : pieces) {
                    upstream.pause(pace);
                    writeEvent(out, chunk(request, delta -> delta.put("content", piece), null));
                }
                writeEvent(out, chunk(request, delta -> { }, "stop"));
                if (request.path("stream_options").path("include_usage").asBoolean(false)) {
                    ObjectNode usage = envelope(request, "chat.completion.chunk");
                    usage.putArray("choices");
                    usage.putObject("usage").put("prompt_tokens", 11).put("completion_tokens", pieces.size())
                            .put("total_tokens", 11 + pieces.size());
                    writeEvent(out, usage.toString());
                }
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            };
        }

        /** Streams the pieces, then an {@code {"error": …}} event, as vLLM and OpenAI do when they fail mid-answer. */
        static Reply streamThenError(List<String> pieces, String message) {
            return (exchange, request, upstream) -> {
                OutputStream out = startEvents(exchange);
                writeEvent(out, chunk(request, delta -> delta.put("role", "assistant").put("content", ""), null));
                for (String piece : pieces) {
                    writeEvent(out, chunk(request, delta -> delta.put("content", piece), null));
                }
                ObjectNode error = JSON.createObjectNode();
                error.putObject("error").put("message", message).put("type", "server_error");
                writeEvent(out, error.toString());
            };
        }

        /** Streams the opening chunk and one piece, then keeps the connection busy until the client goes away. */
        static Reply streamForever(String firstPiece) {
            return (exchange, request, upstream) -> {
                OutputStream out = startEvents(exchange);
                writeEvent(out, chunk(request, delta -> delta.put("role", "assistant").put("content", ""), null));
                writeEvent(out, chunk(request, delta -> delta.put("content", firstPiece), null));
                while (!upstream.isStopping()) {
                    upstream.pause(Duration.ofMillis(20));
                    // An SSE comment: clients skip it, and writing it finds out when the client has gone.
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            };
        }

        /** Streams the pieces, then drops the connection without finishing. */
        static Reply streamThenDrop(List<String> pieces) {
            return (exchange, request, upstream) -> {
                OutputStream out = startEvents(exchange);
                for (String piece : pieces) {
                    writeEvent(out, chunk(request, delta -> delta.put("content", piece), null));
                }
                // Leaving the exchange open and failing makes the server cut the connection mid-body.
                throw new IOException("connection dropped on purpose");
            };
        }

        /** A 200 whose JSON body breaks off in the middle. */
        static Reply malformedJson() {
            return json(200, "{\"id\": \"chatcmpl-fake\", \"object\": \"chat.completion\", \"choices\": [{\"index\": 0, \"mess");
        }

        /** Closes the connection without sending a byte, as a crashed or resetting upstream does. */
        static Reply closeWithoutAnswer() {
            return (exchange, request, upstream) -> {
                throw new IOException("connection closed on purpose");
            };
        }

        /** A correct completion written a few bytes at a time, {@code pace} apart. */
        static Reply dribble(String text, int bytesPerWrite, Duration pace) {
            return (exchange, request, upstream) -> {
                ObjectNode answer = envelope(request, "chat.completion");
                ObjectNode choice = answer.putArray("choices").addObject();
                choice.put("index", 0);
                choice.putObject("message").put("role", "assistant").put("content", text);
                choice.put("finish_reason", "stop");
                byte[] body = answer.toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("content-type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                OutputStream out = exchange.getResponseBody();
                for (int i = 0; i < body.length; i += bytesPerWrite) {
                    upstream.pause(pace);
                    out.write(body, i, Math.min(bytesPerWrite, body.length - i));
                    out.flush();
                }
            };
        }

        /** Never answers until the server stops or a minute passes. */
        static Reply hang() {
            return (exchange, request, upstream) -> {
                upstream.pause(Duration.ofMinutes(1));
            };
        }

        /** Waits, then sends the given reply. */
        static Reply delayed(Duration delay, Reply then) {
            return (exchange, request, upstream) -> {
                upstream.pause(delay);
                then.send(exchange, request, upstream);
            };
        }
    }


    private static void writeEvent(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String chunk(JsonNode request, java.util.function.Consumer<ObjectNode> delta, String finish) {
        ObjectNode chunk = envelope(request, "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        delta.accept(choice.putObject("delta"));
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return chunk.toString();
    }

    static ObjectNode envelope(JsonNode request, String object) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", "chatcmpl-fake");
        node.put("object", object);
        node.put("created", 1_700_000_000L);
        node.put("model", request.path("model").asString("unknown"));
        return node;
    }

    private static String lastUserText(JsonNode request) {
        JsonNode messages = request.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asString(""))) {
                JsonNode content = messages.get(i).path("content");
                return content.isString() ? content.asString() : content.toString();
            }
        }
        return "";
    }

}
