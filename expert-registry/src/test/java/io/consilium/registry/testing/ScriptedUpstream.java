package io.consilium.registry.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server on loopback whose replies are scripted one per request ({@link #enqueue}), with
 * a protocol-specific default when nothing is scripted. Every request is kept for inspection.
 *
 * @param <U> the concrete upstream, handed to its replies
 */
public abstract class ScriptedUpstream<U extends ScriptedUpstream<U>> implements AutoCloseable {

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    /** One scripted answer to one request. */
    @FunctionalInterface
    public interface Reply<U> {
        void send(HttpExchange exchange, JsonNode request, U upstream) throws IOException;
    }

    /** A request the server received; header names are lower case. */
    public record Received(String method, String path, Map<String, String> headers, JsonNode body, Instant at) {}

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply<U>> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger brokenWrites = new AtomicInteger();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile @Nullable Reply<U> fallback;

    protected ScriptedUpstream() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + getClass().getSimpleName(), e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** What the server answers when nothing is scripted. */
    protected abstract Reply<U> defaultReply();

    @SuppressWarnings("unchecked")
    private U self() {
        return (U) this;
    }

    /** The loopback port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}, without a path. */
    protected String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers every unscripted request with this reply instead of the protocol's default. */
    public U answerWith(Reply<U> reply) {
        this.fallback = reply;
        return self();
    }

    /** Scripts the next replies, in order. */
    @SafeVarargs
    public final U enqueue(Reply<U>... replies) {
        script.addAll(List.of(replies));
        return self();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public Received lastReceived() {
        return received.getLast();
    }

    /** Number of requests that reached the server. */
    public int calls() {
        return calls.get();
    }

    /** Number of replies cut short because the client went away while they were being written. */
    public int brokenWrites() {
        return brokenWrites.get();
    }

    /** Forgets scripted replies and received requests. */
    public void reset() {
        script.clear();
        fallback = null;
        received.clear();
        calls.set(0);
        brokenWrites.set(0);
    }

    public boolean isStopping() {
        return stopping.getCount() == 0;
    }

    /** Waits for the given time, or less if the server stops first. */
    public void pause(Duration pace) throws IOException {
        if (pace.isZero()) {
            return;
        }
        try {
            // Pacing a fake upstream is the point: it shows that chunks are forwarded as they come.
            stopping.await(pace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        stopping.countDown();
        server.stop(0);
    }

    /** Commits a 200 event-stream answer and returns its body. */
    protected static OutputStream startEvents(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("content-type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private void handle(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        byte[] raw = exchange.getRequestBody().readAllBytes();
        JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body,
                Instant.now()));
        Reply<U> reply = script.poll();
        if (reply == null) {
            Reply<U> configured = fallback;
            reply = configured != null ? configured : defaultReply();
        }
        try {
            reply.send(exchange, body, self());
        } catch (IOException e) {
            brokenWrites.incrementAndGet();
            throw e;
        }
        // Only a reply that completed closes the exchange: one that throws makes the server cut the
        // connection mid-answer, which is how a dropped upstream looks.
        exchange.close();
    }
}
