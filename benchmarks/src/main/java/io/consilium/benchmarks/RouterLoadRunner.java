package io.consilium.benchmarks;

import io.consilium.router.ConsiliumApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Router overhead under load: starts the service in this process on loopback with zero-latency mock
 * experts, so that all measured time is the service's own (HTTP, validation, classification, planning,
 * fan-out, fusion), then drives direct, route and auto requests at concurrency 1 and 32 for a fixed
 * time each. Queries get a running number so the classifier cache never answers for it.
 *
 * <p>Run: {@code ./mvnw -q -DskipTests package && "$JAVA_HOME/bin/java" -cp benchmarks/target/benchmarks.jar
 * io.consilium.benchmarks.RouterLoadRunner [seconds-per-run [model…]]}
 */
public final class RouterLoadRunner {

    /** Short queries of about twenty words, as the latency budget assumes. */
    private static final String[] QUESTIONS = {
            "I am revising for my exam and cannot see why the derivative of x squared times sine x needs the product rule",
            "My landlord kept my whole deposit after I moved out even though the flat was clean, can I take him to court",
            "Write a Python function that reads a large CSV file line by line and returns the average of one column",
            "What caused the collapse of the Western Roman Empire and how long did the decline actually take historians say",
            "Explain in simple terms how vaccines train the immune system and why some of them need booster shots later"};

    /** Pseudo-model: time {@code /v1/classify} alone. */
    private static final String CLASSIFY = "classify";

    private RouterLoadRunner() {}

    public static void main(String[] args) throws Exception {
        Duration run = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 10);
        try (ConfigurableApplicationContext service = SpringApplication.run(ConsiliumApplication.class,
                "--server.port=0", "--logging.level.root=WARN", "--spring.main.banner-mode=off",
                "--consilium.experts[0].id=zero-math", "--consilium.experts[0].provider=mock",
                "--consilium.experts[0].skills=math.algebra,math.calculus", "--consilium.experts[0].mock.latency=0ms",
                "--consilium.experts[1].id=zero-law", "--consilium.experts[1].provider=mock",
                "--consilium.experts[1].skills=law,business.finance", "--consilium.experts[1].mock.latency=0ms",
                "--consilium.experts[2].id=zero-code", "--consilium.experts[2].provider=mock",
                "--consilium.experts[2].skills=cs.programming,cs.theory", "--consilium.experts[2].mock.latency=0ms",
                "--consilium.experts[3].id=zero-general", "--consilium.experts[3].provider=mock",
                "--consilium.experts[3].roles=expert,aggregator", "--consilium.experts[3].mock.latency=0ms",
                "--consilium.experts[3].skills=general.chat,humanities.history,science.biology")) {
            int port = ((WebServerApplicationContext) service).getWebServer().getPort();
            URI chat = URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
            URI classify = URI.create("http://127.0.0.1:" + port + "/v1/classify");
            System.out.printf("%-8s %11s %10s %10s %10s %14s %14s%n",
                    "model", "concurrency", "req/s", "p50 ms", "p99 ms", "overhead p50", "overhead p99");
            List<String> models = args.length > 1 ? List.of(args).subList(1, args.length)
                    : List.of("zero-math", "consilium/route", "consilium/auto");
            // Warm every path first, so no model is measured on a cold JIT.
            for (String model : models) {
                drive(CLASSIFY.equals(model) ? classify : chat, model, 8, Duration.ofSeconds(5));
            }
            for (String model : models) {
                for (int concurrency : new int[] {1, 32}) {
                    URI endpoint = CLASSIFY.equals(model) ? classify : chat;
                    drive(endpoint, model, concurrency, Duration.ofSeconds(1));
                    Result result = drive(endpoint, model, concurrency, run);
                    System.out.printf("%-8s %11d %10.0f %10.2f %10.2f %14d %14d%n", shortName(model), concurrency,
                            result.throughput(), result.latencyPercentile(0.50), result.latencyPercentile(0.99),
                            result.overheadPercentile(0.50), result.overheadPercentile(0.99));
                }
            }
        }
    }

    private static String shortName(String model) {
        if (CLASSIFY.equals(model)) {
            return model;
        }
        return model.startsWith("consilium/") ? model.substring("consilium/".length()) : "direct";
    }

    /** Numbers every query across all runs, so no run is answered from an earlier run's cache. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private static Result drive(URI endpoint, String model, int concurrency, Duration duration) throws Exception {
        AtomicLong sequence = SEQUENCE;
        long end = System.nanoTime() + duration.toNanos();
        List<Future<Samples>> workers = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                workers.add(threads.submit(() -> {
                    Samples samples = new Samples();
                    while (System.nanoTime() < end) {
                        long n = sequence.incrementAndGet();
                        String text = QUESTIONS[(int) (n % QUESTIONS.length)] + " (request " + n + ")";
                        String body = CLASSIFY.equals(model) ? "{\"input\": \"" + text + "\"}"
                                : "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \""
                                        + text + "\"}]}";
                        long started = System.nanoTime();
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        long latency = System.nanoTime() - started;
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("status " + response.statusCode() + ": " + response.body());
                        }
                        samples.add(latency, response.headers().firstValue("x-consilium-overhead-ms").map(Long::parseLong).orElse(-1L));
                    }
                    return samples;
                }));
            }
            Samples all = new Samples();
            for (Future<Samples> worker : workers) {
                all.addAll(worker.get());
            }
            return new Result(all, duration);
        }
    }

    /** Latencies and overhead headers collected by one worker. */
    private static final class Samples {
        private long[] latencies = new long[1024];
        private long[] overheads = new long[1024];
        private int size;

        void add(long latencyNanos, long overheadMs) {
            if (size == latencies.length) {
                latencies = Arrays.copyOf(latencies, size * 2);
                overheads = Arrays.copyOf(overheads, size * 2);
            }
            latencies[size] = latencyNanos;
            overheads[size] = overheadMs;
            size++;
        }

        void addAll(Samples other) {
            for (int i = 0; i < other.size; i++) {
                add(other.latencies[i], other.overheads[i]);
            }
        }
    }

    private record Result(Samples samples, Duration duration) {

        double throughput() {
            return samples.size / (duration.toNanos() / 1e9);
        }

        double latencyPercentile(double p) {
            long[] sorted = Arrays.copyOf(samples.latencies, samples.size);
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
        }

        long overheadPercentile(double p) {
            long[] sorted = Arrays.copyOf(samples.overheads, samples.size);
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
        }
    }
}
