package io.consilium.benchmarks;

import io.consilium.benchmarks.ComparisonOptions.Variant;
import io.consilium.benchmarks.LoadDriver.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gateways from a cold start: each is started as a fresh process, timed to ready, and put under load at
 * concurrency 32 straight away; the first seconds of that load show how fast it is before it has warmed.
 * The gateways take turns, one at a time, for every repeat.
 */
final class ColdStart {

    private static final int CONCURRENCY = 32;

    private final ComparisonOptions options;
    private final Report report;

    ColdStart(ComparisonOptions options, Report report) {
        this.options = options;
        this.report = report;
    }

    void run(FastUpstream upstream) throws Exception {
        Map<String, List<Start>> starts = new LinkedHashMap<>();
        for (int repeat = 1; repeat <= options.coldRuns(); repeat++) {
            for (Variant variant : options.consilium()) {
                record(repeat, starts, GatewayCommand.consilium(variant.label(), variant.jarOr(options.jar()), variant.jvmFlags(), upstream.baseUrl()));
            }
            record(repeat, starts, GatewayCommand.portkey(upstream.baseUrl()));
        }
        write(starts);
    }

    private void record(int repeat, Map<String, List<Start>> starts, GatewayCommand command) throws Exception {
        Path log = Path.of("benchmarks", "target", "gateway-" + command.name() + "-cold-" + repeat + ".log");
        try (GatewayProcess gateway = GatewayProcess.start(command, log)) {
            Outcome load = LoadDriver.drive(gateway.endpoint(), CONCURRENCY, options.coldLoad()).requireAnswers();
            report.progress("cold %d: %s ready after %d ms, then %s; answers per second: %s", repeat, command.name(),
                    gateway.readyAfter().toMillis(), load.summary(), load.timeline());
            starts.computeIfAbsent(command.name(), name -> new ArrayList<>()).add(new Start(gateway.readyAfter(), load));
        }
    }

    private void write(Map<String, List<Start>> starts) {
        report.line("%n## Cold start%n%n");
        report.line("Each gateway started %s as a fresh process, in turns; time to ready is from the process start "
                        + "to the first 200 from Consilium's readiness probe, or from a completion through Portkey (it has "
                        + "none); then %d s of load at concurrency %d. Each cell is the lowest–highest over the starts.%n%n",
                times(options.coldRuns()), options.coldLoad().toSeconds(), CONCURRENCY);
        report.line("| gateway | JVM flags | ready s | req/s over the first %d s | p50 ms | p99 ms | failed |%n"
                + "|---|---|---:|---:|---:|---:|---:|%n", options.coldLoad().toSeconds());
        List<String> names = new ArrayList<>(options.consilium().stream().map(Variant::label).toList());
        names.add("portkey");
        for (String name : names) {
            List<Start> runs = starts.get(name);
            String flags = options.consilium().stream().filter(v -> v.label().equals(name))
                    .map(v -> v.jvmFlags().isEmpty() ? "none" : "`" + String.join(" ", v.jvmFlags()) + "`").findFirst().orElse("–");
            report.line("| %s | %s | %s | %s | %s | %s | %s |%n", name, flags,
                    Spread.of(runs.stream().map(s -> s.ready().toMillis() / 1000.0).toList()).format("%.2f"),
                    SteadyState.spread(loads(runs), Outcome::throughput).format("%,.0f"),
                    SteadyState.spread(loads(runs), Outcome::p50Millis).format("%.2f"),
                    SteadyState.spread(loads(runs), Outcome::p99Millis).format("%.2f"),
                    SteadyState.spread(loads(runs), o -> o.errors()).format("%.0f"));
        }
        report.line("%n");
        for (Variant variant : options.consilium()) {
            report.line("- %s over its first %d s: %s× Portkey's throughput over its first %d s (same repeat).%n",
                    variant.label(), options.coldLoad().toSeconds(),
                    SteadyState.perRound(loads(starts.get(variant.label())), loads(starts.get("portkey")),
                            (mine, theirs) -> mine.throughput() / theirs.throughput()).format("%.2f"),
                    options.coldLoad().toSeconds());
        }
    }

    static String times(int count) {
        return count == 1 ? "once" : count + " times";
    }

    private static List<Outcome> loads(List<Start> runs) {
        return runs.stream().map(Start::load).toList();
    }

    private record Start(Duration ready, Outcome load) {}
}
