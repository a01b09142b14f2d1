package io.consilium.router.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code redis-server} of the test's own on a free loopback port, keeping nothing on disk. It can
 * be stopped and started again on the same port to play an outage.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private static @Nullable RedisServer shared;

    private final String binary;
    private final int port;
    private @Nullable Process process;

    private RedisServer(String binary, int port) {
        this.binary = binary;
        this.port = port;
    }

    /** Starts a server on a free port; fails with a clear message when {@code redis-server} is missing. */
    public static RedisServer start() {
        RedisServer server = new RedisServer(findBinary(), freePort());
        server.startAgain();
        return server;
    }

    /**
     * One server for the whole test run, for Spring contexts that the test framework caches beyond the
     * class that started them; it stops when the JVM exits. Tests on it must not flush or stop it.
     */
    public static synchronized RedisServer shared() {
        if (shared == null) {
            RedisServer server = start();
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(server::stop));
            shared = server;
        }
        return shared;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server again after {@link #stop()}, on the same port and empty. */
    public synchronized void startAgain() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--protected-mode", "no")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary, e);
        }
        long giveUp = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answersPing()) {
            if (System.nanoTime() > giveUp || !process.isAlive()) {
                throw new IllegalStateException("redis-server did not start on port " + port);
            }
            sleep(20);
        }
    }

    /** Stops the server (its data is gone); clients see connection errors until it starts again. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Empties every database, for tests that need a clean slate. */
    public void flushAll() {
        command("FLUSHALL");
    }

    @Override
    public void close() {
        stop();
    }

    private boolean answersPing() {
        try {
            return command("PING").startsWith("+PONG");
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Sends one inline command and returns the first line of the reply. */
    private String command(String inline) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString().strip();
        } catch (IOException e) {
            throw new IllegalStateException("redis on port " + port + " does not answer", e);
        }
    }

    private static String findBinary() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("redis-server is not installed; the Redis tests need it "
                + "(Debian: apt-get install redis-server; .ci/run installs it)");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
