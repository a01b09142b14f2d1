package io.consilium.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * An OpenAI-compatible upstream on loopback that answers at once with a fixed completion, or streams
 * chunks a fixed pace apart, each carrying the nanosecond it was written (same process, same clock) so
 * the client can tell how long the router held it.
 */
final class FastUpstream implements AutoCloseable {

    private static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"The answer is 42.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":20,"
            + "\"completion_tokens\":6,\"total_tokens\":26}}").getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final int chunks;
    private final Duration pace;

    FastUpstream(int chunks, Duration pace) throws IOException {
        this.chunks = chunks;
        this.pace = pace;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void answer(HttpExchange exchange) throws IOException {
        byte[] request = exchange.getRequestBody().readAllBytes();
        boolean stream = new String(request, StandardCharsets.UTF_8).contains("\"stream\":true");
        if (!stream) {
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, COMPLETION.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(COMPLETION);
            }
            return;
        }
        exchange.getResponseHeaders().add("content-type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < chunks; i++) {
                LockSupport.parkNanos(pace.toNanos());
                String chunk = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t" + System.nanoTime()
                        + " \"},\"finish_reason\":null}]}\n\n";
                out.write(chunk.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
