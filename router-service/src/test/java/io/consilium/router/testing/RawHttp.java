package io.consilium.router.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * HTTP/1.1 written by hand on a socket, for the requests a client library would refuse to send or would
 * tidy up first (odd paths, forged Host headers, oversized headers), optionally from another loopback
 * address so that per-address state of one test does not reach the others.
 */
public final class RawHttp {

    private RawHttp() {}

    /** What came back: the status, the header lines as sent, and the whole text for assertion messages. */
    public record Response(int status, List<String> headers, String body, String text) {

        public Optional<String> header(String name) {
            String prefix = name.toLowerCase() + ":";
            return headers.stream().filter(line -> line.toLowerCase().startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).strip()).findFirst();
        }
    }

    public static Response send(int port, String request) throws IOException {
        return send(port, InetAddress.getLoopbackAddress(), request);
    }

    private static String rest(BufferedReader in) throws IOException {
        StringBuilder body = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            body.append(line).append('\n');
        }
        return body.toString();
    }

    private static String dechunk(BufferedReader in) throws IOException {
        StringBuilder body = new StringBuilder();
        for (String size = in.readLine(); size != null && !size.isBlank(); size = in.readLine()) {
            int length = Integer.parseInt(size.strip().split(";")[0], 16);
            if (length == 0) {
                break;
            }
            char[] chunk = new char[length];
            int read = 0;
            while (read < length) {
                int n = in.read(chunk, read, length - read);
                if (n < 0) {
                    return body.append(chunk, 0, read).toString();
                }
                read += n;
            }
            body.append(chunk);
            in.readLine(); // the CRLF after the chunk
        }
        return body.toString();
    }

    /** Sends the request from the given local address; use 127.0.0.x addresses to look like other clients. */
    public static Response send(int port, InetAddress from, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, from, 0)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException refusedMidRequest) {
                // the server may answer and close before reading everything we send
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String statusLine = in.readLine();
            List<String> headers = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.add(line);
            }
            boolean chunked = headers.stream().anyMatch(line -> line.toLowerCase().startsWith("transfer-encoding:")
                    && line.toLowerCase().contains("chunked"));
            String body = chunked ? dechunk(in) : rest(in);
            int status = statusLine == null ? 0 : Integer.parseInt(statusLine.split(" ")[1]);
            return new Response(status, headers, body,
                    statusLine + "\n" + String.join("\n", headers) + "\n\n" + body);
        }
    }
}
