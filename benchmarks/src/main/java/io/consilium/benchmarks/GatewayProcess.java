package io.consilium.benchmarks;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A gateway running as a child process, started and waited for until ready. Closing it stops the process
 * (and, should the runner die first, a shutdown hook does).
 */
final class GatewayProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(10);

    private final GatewayCommand command;
    private final Process process;
    private final Duration readyAfter;
    private final Thread stopOnExit;

    private GatewayProcess(GatewayCommand command, Process process, Duration readyAfter, Thread stopOnExit) {
        this.command = command;
        this.process = process;
        this.readyAfter = readyAfter;
        this.stopOnExit = stopOnExit;
    }

    /**
     * Starts the process with its output in {@code log} and polls its readiness request every 10 ms; the
     * time to ready runs from just before the process starts to the first 200.
     */
    static GatewayProcess start(GatewayCommand command, Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command.command()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(command.environment());
        long started = System.nanoTime();
        Process process = builder.start();
        Thread stopOnExit = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        GatewayProcess gateway;
        try (HttpClient probe = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build()) {
            long deadline = started + READY_TIMEOUT.toNanos();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(command.name() + " exited with code " + process.exitValue()
                            + " before it was ready; its output is in " + log);
                }
                if (answers(probe, command)) {
                    gateway = new GatewayProcess(command, process, Duration.ofNanos(System.nanoTime() - started), stopOnExit);
                    break;
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command.name() + " was not ready after " + READY_TIMEOUT.toSeconds()
                            + " s; its output is in " + log);
                }
                Thread.sleep(POLL);
            }
        }
        return gateway;
    }

    private static boolean answers(HttpClient probe, GatewayCommand command) throws InterruptedException {
        try {
            return probe.send(command.readiness(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    String name() {
        return command.name();
    }

    Endpoint endpoint() {
        return command.endpoint();
    }

    Duration readyAfter() {
        return readyAfter;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
    }
}
