package io.consilium.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A JFR profile of the warmed direct path: starts Consilium as a child process in front of a
 * {@link FastUpstream}, warms it, records {@code jdk.ExecutionSample} (every 2 ms) and allocation samples
 * through {@code jcmd} during load at concurrency 32, and summarises the recording with
 * {@link ProfileSummary} into {@code benchmarks/target/profile-summary.md}; the recording is kept beside it
 * as {@code direct-path.jfr}.
 *
 * <p>Run: {@code "$JAVA_HOME/bin/java" -cp benchmarks/target/benchmarks.jar io.consilium.benchmarks.DirectPathProfile
 * [warm-up seconds [recorded seconds [extra JVM flags…]]]}, defaults 24 and 20.
 */
public final class DirectPathProfile {

    private static final int CONCURRENCY = 32;
    private static final Path TARGET = Path.of("benchmarks", "target");

    private DirectPathProfile() {}

    public static void main(String[] args) throws Exception {
        Duration warmup = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 24);
        Duration recorded = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 20);
        List<String> flags = new ArrayList<>(List.of("-XX:FlightRecorderOptions:stackdepth=256"));
        flags.addAll(Arrays.asList(args).subList(Math.min(2, args.length), args.length));
        Path recording = TARGET.resolve("direct-path.jfr").toAbsolutePath();
        Report report = new Report();
        long answered;
        report.line("# Consilium direct path under JFR%n%n");
        try (FastUpstream upstream = new FastUpstream(1, Duration.ZERO);
                GatewayProcess consilium = GatewayProcess.start(
                        GatewayCommand.consilium("consilium", Path.of("router-service", "target", "consilium-exec.jar"), flags,
                                upstream.baseUrl()), TARGET.resolve("gateway-profile.log"))) {
            report.progress("ready after %d ms; warming for %d s", consilium.readyAfter().toMillis(), warmup.toSeconds());
            LoadDriver.drive(consilium.endpoint(), CONCURRENCY, warmup);
            jcmd(consilium.pid(), "JFR.start", "name=direct", "settings=profile", "jdk.ExecutionSample#period=2ms",
                    "filename=" + recording);
            LoadDriver.Outcome load = LoadDriver.drive(consilium.endpoint(), CONCURRENCY, recorded).requireAnswers();
            jcmd(consilium.pid(), "JFR.stop", "name=direct");
            answered = load.latencies().size();
            report.line("%s; %d cores, load average %.2f after recording; JVM flags `%s`. Recorded %d s at concurrency %d "
                            + "after %d s of warm-up: %.0f req/s, p50 %.2f ms, p99 %.2f ms during the recording.%n%n",
                    LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), String.join(" ", flags),
                    recorded.toSeconds(), CONCURRENCY, warmup.toSeconds(), load.throughput(), load.p50Millis(), load.p99Millis());
        }
        report.line("## Where the service spent its time%n%n%s", ProfileSummary.of(recording, answered));
        report.writeTo(TARGET.resolve("profile-summary.md"));
    }

    private static void jcmd(long pid, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        if (jcmd.waitFor() != 0 || output.contains("Exception") || output.contains("Could not")) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + output.strip());
        }
    }
}
