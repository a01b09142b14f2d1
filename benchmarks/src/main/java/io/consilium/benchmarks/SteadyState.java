package io.consilium.benchmarks;

import io.consilium.benchmarks.ComparisonOptions.Variant;
import io.consilium.benchmarks.LoadDriver.Outcome;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Warmed gateways side by side: every gateway is started and warmed at concurrency 32, then each round
 * measures the upstream alone and every gateway in turn at concurrency 1 and 32, so slow drift on a shared
 * machine touches them alike. Each cell of the table is the range over the rounds.
 */
final class SteadyState {

    private static final int[] CONCURRENCIES = {1, 32};
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private final ComparisonOptions options;
    private final Report report;

    SteadyState(ComparisonOptions options, Report report) {
        this.options = options;
        this.report = report;
    }

    void run(FastUpstream upstream) throws Exception {
        Endpoint alone = new Endpoint("upstream alone", URI.create(upstream.baseUrl() + "/chat/completions"), "bench", List.of());
        List<GatewayProcess> gateways = new ArrayList<>();
        try {
            for (Variant variant : options.consilium()) {
                gateways.add(start(GatewayCommand.consilium(variant.label(), variant.jarOr(options.jar()), variant.jvmFlags(), upstream.baseUrl())));
            }
            gateways.add(start(GatewayCommand.portkey(upstream.baseUrl())));
            for (GatewayProcess gateway : gateways) {
                report.progress("warming %s for %d s at concurrency 32", gateway.name(), options.warmup().toSeconds());
                LoadDriver.drive(gateway.endpoint(), 32, options.warmup());
            }
            List<Endpoint> targets = new ArrayList<>(List.of(alone));
            gateways.forEach(gateway -> targets.add(gateway.endpoint()));
            Map<String, List<Outcome>> outcomes = new LinkedHashMap<>();
            Map<String, List<Double>> cpuPerAnswer = new LinkedHashMap<>();
            for (int round = 1; round <= options.rounds(); round++) {
                for (int concurrency : CONCURRENCIES) {
                    for (Endpoint target : targets) {
                        LoadDriver.drive(target, concurrency, SETTLE);
                        GatewayProcess gateway = gateways.stream().filter(g -> g.name().equals(target.name())).findFirst().orElse(null);
                        long cpuBefore = cpuNanos(gateway);
                        Outcome outcome = LoadDriver.drive(target, concurrency, options.run()).requireAnswers();
                        String cell = target.name() + "@" + concurrency;
                        if (gateway != null) {
                            double micros = (cpuNanos(gateway) - cpuBefore) / 1e3 / outcome.latencies().size();
                            cpuPerAnswer.computeIfAbsent(cell, key -> new ArrayList<>()).add(micros);
                        }
                        report.progress("round %d: %s at %d: %s", round, target.name(), concurrency, outcome.summary());
                        outcomes.computeIfAbsent(cell, key -> new ArrayList<>()).add(outcome);
                    }
                }
            }
            write(targets, outcomes, cpuPerAnswer);
        } finally {
            for (GatewayProcess gateway : gateways.reversed()) {
                gateway.close();
            }
        }
    }

    private GatewayProcess start(GatewayCommand command) throws Exception {
        GatewayProcess gateway = GatewayProcess.start(command, Path.of("benchmarks", "target", "gateway-" + command.name() + ".log"));
        report.progress("%s ready after %d ms", gateway.name(), gateway.readyAfter().toMillis());
        return gateway;
    }

    /**
     * The CPU time the gateway's process has used so far (all its threads, JIT and GC included), or 0 for
     * none. Per answer, it compares builds even on a machine whose other load changes the throughput.
     */
    private static long cpuNanos(@Nullable GatewayProcess gateway) {
        if (gateway == null) {
            return 0;
        }
        return ProcessHandle.of(gateway.pid()).flatMap(process -> process.info().totalCpuDuration())
                .map(Duration::toNanos).orElse(0L);
    }

    private void write(List<Endpoint> targets, Map<String, List<Outcome>> outcomes, Map<String, List<Double>> cpuPerAnswer) {
        report.line("%n## Steady state%n%n");
        report.line("After %d s of warm-up per gateway at concurrency 32; %s of %d s per cell (each after %d s to "
                        + "settle), non-streamed completions; each cell is the lowest–highest over the rounds.%n%n",
                options.warmup().toSeconds(), options.rounds() == 1 ? "one round" : options.rounds() + " rounds",
                options.run().toSeconds(), SETTLE.toSeconds());
        report.line("| target | concurrency | req/s | p50 ms | p99 ms | failed | gateway CPU µs per answer |%n"
                + "|---|---:|---:|---:|---:|---:|---:|%n");
        for (int concurrency : CONCURRENCIES) {
            for (Endpoint target : targets) {
                List<Outcome> runs = outcomes.get(target.name() + "@" + concurrency);
                List<Double> cpu = cpuPerAnswer.get(target.name() + "@" + concurrency);
                report.line("| %s | %d | %s | %s | %s | %s | %s |%n", target.name(), concurrency,
                        spread(runs, Outcome::throughput).format("%,.0f"), spread(runs, Outcome::p50Millis).format("%.2f"),
                        spread(runs, Outcome::p99Millis).format("%.2f"), spread(runs, o -> o.errors()).format("%.0f"),
                        cpu == null ? "–" : Spread.of(cpu).format("%,.0f"));
            }
        }
        List<Outcome> peer = outcomes.get("portkey@32");
        List<Outcome> floor = outcomes.get("upstream alone@1");
        report.line("%n");
        for (Variant variant : options.consilium()) {
            List<Outcome> fast = outcomes.get(variant.label() + "@32");
            List<Outcome> single = outcomes.get(variant.label() + "@1");
            report.line("- %s at concurrency 32: %s× Portkey's throughput (same round).%n", variant.label(),
                    perRound(fast, peer, (mine, theirs) -> mine.throughput() / theirs.throughput()).format("%.2f"));
            report.line("- %s overhead at concurrency 1: p50 %s ms and p99 %s ms over the upstream alone (same round); "
                            + "its own x-consilium-overhead-ms header (whole ms) p50 %s, p99 %s.%n", variant.label(),
                    perRound(single, floor, (mine, bare) -> mine.p50Millis() - bare.p50Millis()).format("%.2f"),
                    perRound(single, floor, (mine, bare) -> mine.p99Millis() - bare.p99Millis()).format("%.2f"),
                    spread(single, o -> o.overheads().percentile(0.50)).format("%.0f"),
                    spread(single, o -> o.overheads().percentile(0.99)).format("%.0f"));
        }
    }

    static Spread spread(List<Outcome> runs, ToDoubleFunction<Outcome> value) {
        return Spread.of(runs.stream().map(value::applyAsDouble).toList());
    }

    /** A figure computed from two lists measured side by side, pairing the i-th of each. */
    static Spread perRound(List<Outcome> mine, List<Outcome> others, Pairing pairing) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < mine.size(); i++) {
            values.add(pairing.apply(mine.get(i), others.get(i)));
        }
        return Spread.of(values);
    }

    interface Pairing {
        double apply(Outcome mine, Outcome other);
    }
}
