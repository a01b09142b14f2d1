package io.consilium.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to start one gateway as a child process on loopback in front of an upstream, and how to tell it is
 * ready: the request that must first answer 200.
 *
 * @param readiness sent until it answers 200; the time until then is the gateway's time to ready
 */
record GatewayCommand(String name, List<String> command, Map<String, String> environment, Endpoint endpoint,
        HttpRequest readiness) {

    static final String ADMIN_KEY = "benchmark-admin-key";
    static final Path PEER = Path.of("benchmarks", "peer");
    private static final Path PORTKEY_SCRIPT = PEER.resolve(Path.of("node_modules", "@portkey-ai", "gateway", "build", "start-server.js"));

    GatewayCommand {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    /**
     * Consilium from its executable jar with one direct expert, {@code bench-http}, on the upstream; ready
     * when its readiness probe answers 200.
     *
     * @param jvmFlags put before {@code -jar}, such as {@code -XX:AOTCache=…} or {@code -XX:StartFlightRecording}
     */
    static GatewayCommand consilium(String name, Path jar, List<String> jvmFlags, String upstreamBaseUrl) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -q -B -DskipTests package -pl router-service -am");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1",
                "--logging.level.root=WARN", "--consilium.auth.admin-key=" + ADMIN_KEY,
                "--consilium.experts[0].id=bench-http", "--consilium.experts[0].provider=openai",
                "--consilium.experts[0].base-url=" + upstreamBaseUrl, "--consilium.experts[0].model=bench",
                "--consilium.experts[0].limits.max-concurrency=512", "--consilium.experts[0].skills=general.chat"));
        String base = "http://127.0.0.1:" + port;
        return new GatewayCommand(name, command, Map.of(),
                new Endpoint(name, URI.create(base + "/v1/chat/completions"), "bench-http",
                        List.of("authorization", "Bearer " + ADMIN_KEY)),
                HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness")).GET().build());
    }

    /**
     * The Portkey gateway from {@code benchmarks/peer}, kept on loopback by {@code loopback.mjs}, forwarding
     * to the upstream as a custom OpenAI host; ready when a completion through it answers 200 (it has no
     * readiness probe). {@code NODE_ENV=production} and {@code --headless} leave out its log viewer.
     */
    static GatewayCommand portkey(String upstreamBaseUrl) throws IOException {
        requirePeer();
        int port = freePort();
        Endpoint endpoint = new Endpoint("portkey", URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"), "bench",
                List.of("authorization", "Bearer sk-benchmark", "x-portkey-provider", "openai",
                        "x-portkey-custom-host", upstreamBaseUrl));
        return new GatewayCommand("portkey",
                List.of("node", "--import", PEER.resolve("loopback.mjs").toAbsolutePath().toUri().toString(), PORTKEY_SCRIPT.toString(),
                        "--port=" + port, "--headless"),
                Map.of("NODE_ENV", "production"), endpoint, endpoint.request("Are you ready?"));
    }

    /** Fails in one line, naming the install command, when node or the peer's packages are missing. */
    static void requirePeer() {
        String install = "install Node 20+ and run: npm ci --prefix benchmarks/peer";
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (node.waitFor() != 0) {
                throw new IllegalStateException("'node --version' failed: " + install);
            }
        } catch (IOException e) {
            throw new IllegalStateException("node is not on the PATH: " + install);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking for node", e);
        }
        if (!Files.isRegularFile(PORTKEY_SCRIPT)) {
            throw new IllegalStateException(PEER.resolve("node_modules") + " has no Portkey gateway: " + install);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
