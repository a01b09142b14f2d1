package io.consilium.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;

/**
 * Consilium and the Portkey gateway side by side in one run, both as child processes on loopback in front
 * of the same {@link FastUpstream}, driven from this JVM: steady-state throughput and latency at
 * concurrency 1 and 32 with the upstream alone as the floor, and cold starts (time to ready, then the first
 * seconds of load). Consilium can be started several ways in the same table ({@code --consilium=LABEL=FLAGS},
 * such as with and without an AOT cache). Writes {@code benchmarks/target/gateway-comparison.md}.
 *
 * <p>Run from the repository root, after {@code npm ci --prefix benchmarks/peer} and building the exec jar:
 * {@code "$JAVA_HOME/bin/java" -cp benchmarks/target/benchmarks.jar io.consilium.benchmarks.GatewayComparison [options]};
 * {@link ComparisonOptions#USAGE} lists the options.
 */
public final class GatewayComparison {

    private GatewayComparison() {}

    public static void main(String[] args) throws Exception {
        ComparisonOptions options;
        try {
            options = ComparisonOptions.parse(args);
            GatewayCommand.requirePeer();
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("GatewayComparison: " + e.getMessage());
            System.exit(2);
            return;
        }
        Report report = new Report();
        report.line("# Consilium and Portkey side by side%n%n");
        report.line("%s; %d cores, load average %.2f at the start; Java %s; %s.%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.version(), "the upstream and the load generator run in this JVM, each gateway in its own process");
        try (FastUpstream upstream = new FastUpstream(1, Duration.ZERO)) {
            if (options.steady()) {
                new SteadyState(options, report).run(upstream);
            }
            if (options.cold()) {
                new ColdStart(options, report).run(upstream);
            }
        }
        report.line("%nLoad average at the end: %.2f.%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        report.writeTo(Path.of("benchmarks", "target", "gateway-comparison.md"));
    }
}
