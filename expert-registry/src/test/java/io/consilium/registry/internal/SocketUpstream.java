package io.consilium.registry.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on loopback, written on plain sockets so that tests can see what HTTP servers hide: how
 * many connections a client opened, and whether it hung up. Connections are kept alive. What it answers
 * depends on the path:
 * <ul>
 *   <li>{@code /ok}: 200 with a small JSON body and a content length;
 *   <li>{@code /redirect}: 302 to {@code /elsewhere}, which is counted apart;
 *   <li>{@code /large}: 200 with a body of 100,000 bytes, chunked, with no content length;
 *   <li>{@code /hang}: nothing, until the client hangs up;
 *   <li>{@code /endless}: an event stream that writes an event every 20 ms until the client hangs up.
 * </ul>
 */
final class SocketUpstream implements AutoCloseable {

    static final String OK_BODY = "{\"ok\":true}";
    static final int LARGE_BODY = 100_000;

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger redirectsFollowed = new AtomicInteger();
    private final AtomicInteger hangUps = new AtomicInteger();
    private final Queue<Socket> open = new ConcurrentLinkedQueue<>();

    private SocketUpstream() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("socket-upstream").start(this::accept);
    }

    static SocketUpstream start() {
        try {
            return new SocketUpstream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Requests read so far, on every connection. */
    int requests() {
        return requests.get();
    }

    /** Requests for where a redirect pointed. */
    int redirectsFollowed() {
        return redirectsFollowed.get();
    }

    /** Connections the client closed while a {@code /hang} or {@code /endless} answer was pending. */
    int hangUps() {
        return hangUps.get();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // stopping anyway
        }
        open.forEach(socket -> {
            try {
                socket.close();
            } catch (IOException ignored) {
                // stopping anyway
            }
        });
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                open.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException stopped) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (String path = readRequest(in); path != null; path = readRequest(in)) {
                requests.incrementAndGet();
                switch (path) {
                    case "/ok" -> answer(out, "200 OK", "application/json", OK_BODY.getBytes(StandardCharsets.UTF_8));
                    case "/redirect" -> answer(out, "302 Found", "text/plain", new byte[0], "location: /elsewhere");
                    case "/elsewhere" -> {
                        redirectsFollowed.incrementAndGet();
                        answer(out, "200 OK", "application/json", OK_BODY.getBytes(StandardCharsets.UTF_8));
                    }
                    case "/large" -> large(out);
                    case "/hang" -> {
                        // Nothing comes from a client waiting for an answer but its hanging up.
                        if (in.read() < 0) {
                            hangUps.incrementAndGet();
                        }
                        return;
                    }
                    case "/endless" -> {
                        endless(out);
                        return;
                    }
                    default -> answer(out, "404 Not Found", "text/plain", new byte[0]);
                }
            }
        } catch (IOException gone) {
            // the client went away between requests
        }
    }

    /** Reads one request's head and body; its path, or null when the client closed the connection. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int length = 0;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes(length);
        return lines[0].split(" ")[1];
    }

    private static void answer(OutputStream out, String status, String type, byte[] body, String... headers)
            throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n")
                .append("content-type: ").append(type).append("\r\n")
                .append("content-length: ").append(body.length).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static void large(OutputStream out) throws IOException {
        out.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        byte[] chunk = new byte[10_000];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (int sent = 0; sent < LARGE_BODY; sent += chunk.length) {
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private void endless(OutputStream out) {
        try {
            out.write("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] event = "data: {}\n\n".getBytes(StandardCharsets.UTF_8);
            while (true) {
                out.write((Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(event);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread.sleep(20);
            }
        } catch (IOException hungUp) {
            hangUps.incrementAndGet();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }
}
