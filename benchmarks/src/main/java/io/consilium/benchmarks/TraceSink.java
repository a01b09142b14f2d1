package io.consilium.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/HTTP collector on loopback that accepts every trace export and keeps only its count and size, so that
 * a run with tracing on pays what tracing costs the service (recording, encoding and sending every span), with
 * the collector's own work kept to reading the bytes.
 */
final class TraceSink implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong exports = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    TraceSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/traces", this::accept);
        server.start();
    }

    /** The service properties that trace every request and export the spans here. */
    List<String> serviceProperties() {
        return List.of("--management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:"
                + server.getAddress().getPort() + "/v1/traces", "--management.tracing.sampling.probability=1.0");
    }

    long exports() {
        return exports.get();
    }

    long bytes() {
        return bytes.get();
    }

    private void accept(HttpExchange exchange) throws IOException {
        try (exchange) {
            bytes.addAndGet(exchange.getRequestBody().readAllBytes().length);
            exports.incrementAndGet();
            exchange.getResponseHeaders().add("content-type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
