package io.consilium.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Closed-loop load: a fixed number of virtual threads each send a request, wait for the answer and send
 * the next, until a deadline. Every question is numbered, so no cache can answer it. A failed request
 * (an I/O error or a status other than 200) is counted, not retried, and the loop goes on.
 */
final class LoadDriver {

    private static final String[] QUESTIONS = {
            "I am revising for my exam and cannot see why the derivative of x squared times sine x needs the product rule",
            "My landlord kept my whole deposit after I moved out even though the flat was clean, can I take him to court",
            "Write a Python function that reads a large CSV file line by line and returns the average of one column",
            "What caused the collapse of the Western Roman Empire and how long did the decline actually take historians say",
            "Explain in simple terms how vaccines train the immune system and why some of them need booster shots later"};
    private static final String OVERHEAD_HEADER = "x-consilium-overhead-ms";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private LoadDriver() {}

    /** Runs {@code concurrency} loops against {@code endpoint} for {@code duration}. */
    static Outcome drive(Endpoint endpoint, int concurrency, Duration duration) throws InterruptedException {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, but was " + concurrency);
        }
        Samples latencies = new Samples();
        Samples overheads = new Samples();
        AtomicLong errors = new AtomicLong();
        AtomicReference<@Nullable String> firstError = new AtomicReference<>();
        long begin = System.nanoTime();
        long end = begin + duration.toNanos();
        AtomicLongArray perSecond = new AtomicLongArray((int) Math.max(1, (duration.toMillis() + 999) / 1000));
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> loops = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                loops.add(threads.submit(() -> {
                    while (System.nanoTime() < end) {
                        long n = SEQUENCE.incrementAndGet();
                        String text = QUESTIONS[(int) (n % QUESTIONS.length)] + " (request " + n + ")";
                        long started = System.nanoTime();
                        String failure;
                        try {
                            HttpResponse<String> response = http.send(endpoint.request(text), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200) {
                                long answered = System.nanoTime();
                                latencies.add(answered - started);
                                perSecond.incrementAndGet((int) Math.min(perSecond.length() - 1, (answered - begin) / 1_000_000_000L));
                                response.headers().firstValue(OVERHEAD_HEADER).map(Long::parseLong).ifPresent(overheads::add);
                                continue;
                            }
                            failure = "status " + response.statusCode() + ": " + abbreviate(response.body());
                        } catch (IOException e) {
                            failure = e.toString();
                        }
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, failure);
                    }
                    return null;
                }));
            }
            for (Future<?> loop : loops) {
                try {
                    loop.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException(endpoint.name() + ": a load loop failed", e.getCause());
                }
            }
        }
        long[] answeredPerSecond = new long[perSecond.length()];
        for (int second = 0; second < answeredPerSecond.length; second++) {
            answeredPerSecond[second] = perSecond.get(second);
        }
        return new Outcome(endpoint.name(), concurrency, duration, latencies, overheads, errors.get(), firstError.get(),
                answeredPerSecond);
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }

    /**
     * What one run measured.
     *
     * @param overheads the gateway's own {@code x-consilium-overhead-ms} values, empty when it sends none
     * @param answeredPerSecond answers counted in each second of the run, from its start: how fast a cold
     *        gateway warms
     */
    record Outcome(String name, int concurrency, Duration duration, Samples latencies, Samples overheads, long errors,
            @Nullable String firstError, long[] answeredPerSecond) {

        /** The answers of each second, such as {@code 410 880 1950 …}. */
        String timeline() {
            return Arrays.stream(answeredPerSecond).mapToObj(Long::toString).collect(Collectors.joining(" "));
        }

        double throughput() {
            return latencies.size() / (duration.toNanos() / 1e9);
        }

        double p50Millis() {
            return latencies.percentile(0.50) / 1e6;
        }

        double p99Millis() {
            return latencies.percentile(0.99) / 1e6;
        }

        /** Progress text: throughput, latency, failures with the first one, and the machine's load average. */
        String summary() {
            return String.format(Locale.ROOT, "%.0f req/s, p50 %.2f ms, p99 %.2f ms, %d failed%s; load average %.2f",
                    throughput(), p50Millis(), p99Millis(), errors, errors == 0 ? "" : " (first: " + firstError + ")",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }

        /** Fails when nothing succeeded: a table of zeros would hide a broken set-up. */
        Outcome requireAnswers() {
            if (latencies.size() == 0) {
                throw new IllegalStateException(name + " at concurrency " + concurrency + " answered no request with 200; "
                        + errors + " failed, the first with " + firstError);
            }
            return this;
        }
    }
}
