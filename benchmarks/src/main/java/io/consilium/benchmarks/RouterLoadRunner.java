package io.consilium.benchmarks;

import io.consilium.router.ConsiliumApplication;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The performance report: starts the service in this process on loopback, with a fast HTTP upstream
 * for direct requests and zero-latency in-process experts for the virtual models, and measures
 * start-up time, idle and loaded heap, throughput and latency of direct, route and auto requests at
 * several concurrencies, the router's own overhead (the {@code x-consilium-overhead-ms} header: total
 * minus time spent waiting on experts) and the delay a stream's chunks pick up in the router. Every
 * query is numbered, so the classifier's cache never answers it. Then a second service, the same but with the answer
 * cache on ({@code consilium.cache.mode=semantic}), answers one question repeated: the cache-hit path of each
 * model. The report is printed and written to {@code benchmarks/target/load-report.md}.
 *
 * <p>With {@value #TRACED} among the properties, tracing is on: every request is sampled and its spans are
 * exported over OTLP/HTTP to a {@link TraceSink} on loopback, so that runs with and without it measure what
 * tracing costs when it is on.
 *
 * <p>Run: {@code ./mvnw -q -DskipTests package && "$JAVA_HOME/bin/java" -cp benchmarks/target/benchmarks.jar
 * io.consilium.benchmarks.RouterLoadRunner [seconds-per-run [concurrency,… [--traced] [--property=value…]]]}; the
 * properties after the concurrencies configure the service under test, e.g. {@code --consilium.http.client=jetty}.
 */
public final class RouterLoadRunner {

    private static final String ADMIN_KEY = "benchmark-admin-key";
    private static final String TRACED = "--traced";
    private static final List<String> MODELS = List.of("bench-http", "consilium/route", "consilium/auto");
    private static final String[] QUESTIONS = {
            "I am revising for my exam and cannot see why the derivative of x squared times sine x needs the product rule",
            "My landlord kept my whole deposit after I moved out even though the flat was clean, can I take him to court",
            "Write a Python function that reads a large CSV file line by line and returns the average of one column",
            "What caused the collapse of the Western Roman Empire and how long did the decline actually take historians say",
            "Explain in simple terms how vaccines train the immune system and why some of them need booster shots later"};
    private static final int STREAM_CHUNKS = 20;
    private static final Duration STREAM_PACE = Duration.ofMillis(20);
    private static final Pattern SENT_AT = Pattern.compile("\"content\":\"t(\\d+) ");
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private RouterLoadRunner() {}

    public static void main(String[] args) throws Exception {
        Duration run = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 10);
        int[] concurrencies = args.length > 1
                ? java.util.Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {1, 8, 32, 128};
        List<String> serviceProperties = new ArrayList<>(args.length > 2 ? List.of(args).subList(2, args.length) : List.of());
        boolean traced = serviceProperties.remove(TRACED);
        StringBuilder report = new StringBuilder();
        try (FastUpstream upstream = new FastUpstream(STREAM_CHUNKS, STREAM_PACE);
                TraceSink traces = new TraceSink()) {
            if (traced) {
                serviceProperties.addAll(traces.serviceProperties());
            }
            long startedAt = System.nanoTime();
            try (ConfigurableApplicationContext service = start(upstream, serviceProperties)) {
                long startupMillis = Duration.ofNanos(System.nanoTime() - startedAt).toMillis();
                int port = ((WebServerApplicationContext) service).getWebServer().getPort();
                URI chat = URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
                long idleHeap = settledHeapMiB();
                if (!serviceProperties.isEmpty()) {
                    line(report, "Service properties: %s%n", String.join(" ", serviceProperties));
                }
                line(report, "Start-up to ready: %d ms; heap after start-up and GC: %d MiB%n", startupMillis, idleHeap);
                line(report, "%n| model | concurrency | req/s | p50 ms | p99 ms | overhead p50 ms | overhead p99 ms |%n");
                line(report, "|---|---:|---:|---:|---:|---:|---:|%n");
                for (String model : MODELS) {
                    drive(chat, model, 8, Duration.ofSeconds(5)); // warm the JIT on this path
                }
                // The fake upstream on its own, one client: the floor the direct rows are compared with.
                URI upstreamChat = URI.create(upstream.baseUrl() + "/chat/completions");
                drive(upstreamChat, "bench-http", 1, Duration.ofSeconds(1));
                Result alone = drive(upstreamChat, "bench-http", 1, run);
                line(report, "| upstream alone | 1 | %.0f | %.2f | %.2f | – | – |%n", alone.throughput(run),
                        alone.latencies().percentile(0.50) / 1e6, alone.latencies().percentile(0.99) / 1e6);
                HeapSampler heap = HeapSampler.start();
                for (String model : MODELS) {
                    for (int concurrency : concurrencies) {
                        drive(chat, model, concurrency, Duration.ofSeconds(1));
                        Result result = drive(chat, model, concurrency, run);
                        line(report, "| %s | %d | %.0f | %.2f | %.2f | %d | %d |%n", label(model), concurrency,
                                result.throughput(run), result.latencies().percentile(0.50) / 1e6,
                                result.latencies().percentile(0.99) / 1e6, result.overheads().percentile(0.50),
                                result.overheads().percentile(0.99));
                    }
                }
                long peakHeap = heap.stop();
                line(report, "%nHeap: %d MiB idle, %d MiB peak under load (sampled every 100 ms), %d MiB after load and GC%n",
                        idleHeap, peakHeap, settledHeapMiB());
                streaming(report, upstream, chat);
                if (traced) {
                    line(report, "%nTracing on: every request sampled; %d OTLP exports, %d KiB, received by the local sink%n",
                            traces.exports(), traces.bytes() / 1024);
                }
            }
            cacheHits(report, upstream, run, concurrencies, serviceProperties);
        }
        Path out = Path.of("benchmarks", "target", "load-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("\nWritten to " + out.toAbsolutePath());
    }

    private static ConfigurableApplicationContext start(FastUpstream upstream, List<String> extraProperties) {
        List<String> properties = new ArrayList<>(List.of(
                "--server.port=0", "--logging.level.root=WARN", "--spring.main.banner-mode=off",
                "--consilium.auth.admin-key=" + ADMIN_KEY,
                "--consilium.experts[0].id=bench-http", "--consilium.experts[0].provider=openai",
                "--consilium.experts[0].base-url=" + upstream.baseUrl(), "--consilium.experts[0].model=bench",
                "--consilium.experts[0].limits.max-concurrency=512", "--consilium.experts[0].skills=general.chat",
                "--consilium.experts[1].id=zero-math", "--consilium.experts[1].provider=mock",
                "--consilium.experts[1].skills=math.algebra,math.calculus", "--consilium.experts[1].mock.latency=0ms",
                "--consilium.experts[1].limits.max-concurrency=512",
                "--consilium.experts[2].id=zero-law", "--consilium.experts[2].provider=mock",
                "--consilium.experts[2].skills=law,business.finance", "--consilium.experts[2].mock.latency=0ms",
                "--consilium.experts[2].limits.max-concurrency=512",
                "--consilium.experts[3].id=zero-code", "--consilium.experts[3].provider=mock",
                "--consilium.experts[3].skills=cs.programming,cs.theory", "--consilium.experts[3].mock.latency=0ms",
                "--consilium.experts[3].limits.max-concurrency=512",
                "--consilium.experts[4].id=zero-general", "--consilium.experts[4].provider=mock",
                "--consilium.experts[4].roles=expert,aggregator", "--consilium.experts[4].mock.latency=0ms",
                "--consilium.experts[4].limits.max-concurrency=512",
                "--consilium.experts[4].skills=general.chat,humanities.history,science.biology"));
        properties.addAll(extraProperties);
        return SpringApplication.run(ConsiliumApplication.class, properties.toArray(String[]::new));
    }

    /**
     * The cache-hit path: a service with the answer cache on, asked one question over and over (the first request
     * of each model fills the cache), so every measured request is answered from it.
     */
    private static void cacheHits(StringBuilder report, FastUpstream upstream, Duration run, int[] concurrencies,
            List<String> serviceProperties) throws Exception {
        List<String> properties = new ArrayList<>(serviceProperties);
        properties.add("--consilium.cache.mode=semantic");
        try (ConfigurableApplicationContext service = start(upstream, properties)) {
            int port = ((WebServerApplicationContext) service).getWebServer().getPort();
            URI chat = URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
            line(report, "%nCache hits (consilium.cache.mode=semantic, one question repeated, answered from the "
                    + "in-memory cache)%n%n| model | concurrency | req/s | p50 ms | p99 ms | overhead p50 ms |"
                    + " overhead p99 ms | hits |%n|---|---:|---:|---:|---:|---:|---:|---:|%n");
            for (String model : MODELS) {
                drive(chat, model, 8, Duration.ofSeconds(5), true);
            }
            for (String model : MODELS) {
                for (int concurrency : concurrencies) {
                    drive(chat, model, concurrency, Duration.ofSeconds(1), true);
                    Result result = drive(chat, model, concurrency, run, true);
                    line(report, "| %s (hit) | %d | %.0f | %.2f | %.2f | %d | %d | %.1f %% |%n", label(model),
                            concurrency, result.throughput(run), result.latencies().percentile(0.50) / 1e6,
                            result.latencies().percentile(0.99) / 1e6, result.overheads().percentile(0.50),
                            result.overheads().percentile(0.99), 100.0 * result.hits().get() / result.latencies().size());
                }
            }
        }
    }

    /**
     * How long each streamed chunk takes from the upstream's write to the client's read, straight from
     * the upstream and through the router; the difference is what the router adds.
     */
    private static void streaming(StringBuilder report, FastUpstream upstream, URI chat) throws Exception {
        URI direct = URI.create(upstream.baseUrl() + "/chat/completions");
        for (int i = 0; i < 20; i++) {
            chunkDelays(direct, false, "bench-http");
            chunkDelays(chat, true, "bench-http");
            chunkDelays(chat, true, "consilium/route");
        }
        Samples straight = new Samples();
        Samples routed = new Samples();
        Samples relayed = new Samples();
        for (int i = 0; i < 50; i++) {
            straight.addAll(chunkDelays(direct, false, "bench-http"));
            routed.addAll(chunkDelays(chat, true, "bench-http"));
            relayed.addAll(chunkDelays(chat, true, "consilium/route"));
        }
        line(report, "%nStreaming (%d chunks %d ms apart, %d streams each): chunk delay p50/p99 %.3f/%.3f ms straight from "
                        + "the upstream, %.3f/%.3f ms through the router to the expert id (%.3f ms added at p50), "
                        + "%.3f/%.3f ms through consilium/route (%.3f ms added at p50)%n",
                STREAM_CHUNKS, STREAM_PACE.toMillis(), 50, straight.percentile(0.5) / 1e6, straight.percentile(0.99) / 1e6,
                routed.percentile(0.5) / 1e6, routed.percentile(0.99) / 1e6,
                (routed.percentile(0.5) - straight.percentile(0.5)) / 1e6,
                relayed.percentile(0.5) / 1e6, relayed.percentile(0.99) / 1e6,
                (relayed.percentile(0.5) - straight.percentile(0.5)) / 1e6);
    }

    private static Samples chunkDelays(URI endpoint, boolean authenticated, String model)
            throws IOException, InterruptedException {
        Samples delays = new Samples();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}"));
            if (authenticated) {
                request.header("authorization", "Bearer " + ADMIN_KEY);
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    Matcher sent = SENT_AT.matcher(line);
                    if (sent.find()) {
                        delays.add(System.nanoTime() - Long.parseLong(sent.group(1)));
                    }
                }
            }
        }
        return delays;
    }

    private static Result drive(URI endpoint, String model, int concurrency, Duration duration) throws Exception {
        return drive(endpoint, model, concurrency, duration, false);
    }

    /** @param repeated ask the same question every time (for the cache), rather than a numbered one */
    private static Result drive(URI endpoint, String model, int concurrency, Duration duration, boolean repeated)
            throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        List<Future<Result>> workers = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                workers.add(threads.submit(() -> {
                    Result result = new Result(new Samples(), new Samples(), new AtomicLong());
                    while (System.nanoTime() < end) {
                        long n = SEQUENCE.incrementAndGet();
                        String text = repeated ? QUESTIONS[0] : QUESTIONS[(int) (n % QUESTIONS.length)] + " (request " + n + ")";
                        long started = System.nanoTime();
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                                .header("content-type", "application/json")
                                .header("authorization", "Bearer " + ADMIN_KEY)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + model + "\", \"messages\": "
                                        + "[{\"role\": \"user\", \"content\": \"" + text + "\"}]}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        long latency = System.nanoTime() - started;
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException(model + ": status " + response.statusCode() + ": " + response.body());
                        }
                        result.latencies().add(latency);
                        result.overheads().add(response.headers().firstValue("x-consilium-overhead-ms")
                                .map(Long::parseLong).orElse(-1L));
                        if (response.headers().firstValue("x-consilium-cache").orElse("").startsWith("hit")) {
                            result.hits().incrementAndGet();
                        }
                    }
                    return result;
                }));
            }
            Result all = new Result(new Samples(), new Samples(), new AtomicLong());
            for (Future<Result> worker : workers) {
                all.latencies().addAll(worker.get().latencies());
                all.overheads().addAll(worker.get().overheads());
                all.hits().addAndGet(worker.get().hits().get());
            }
            return all;
        }
    }

    /** @param hits requests the answer cache answered */
    private record Result(Samples latencies, Samples overheads, AtomicLong hits) {
        double throughput(Duration duration) {
            return latencies.size() / (duration.toNanos() / 1e9);
        }
    }

    private static String label(String model) {
        return model.startsWith("consilium/") ? model.substring("consilium/".length()) : "direct";
    }

    private static void line(StringBuilder report, String format, Object... values) {
        String text = String.format(format, values);
        System.out.print(text);
        report.append(text);
    }

    private static long settledHeapMiB() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }

    /** The highest heap use seen while load runs. */
    private static final class HeapSampler {

        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;

        private HeapSampler() {
            thread = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        static HeapSampler start() {
            return new HeapSampler();
        }

        long stop() {
            thread.interrupt();
            return peak.get() / (1024 * 1024);
        }
    }
}
