package io.consilium.router.training;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a training run sends to the service, on loopback. First the set-up, through the admin API: an API key,
 * and an OpenAI-compatible expert that is this service itself answering as the mock expert, so that the
 * client of remote experts is trained too. Then rounds of what clients and probes send (chat completions
 * streamed and not, on an expert and on both virtual models, the model list, a refused key, a bad request,
 * health and metrics), from a few clients at once. Every request has one expected status; a streamed answer
 * must also end as OpenAI's streams do.
 */
final class TrainingRequests {

    /** The id of the expert that the set-up registers; the training store is thrown away with the process. */
    static final String RELAY_EXPERT = "aot-training-relay";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> QUESTIONS = List.of(
            "What is the derivative of x^%d?",
            "Write a function that returns the %d-th Fibonacci number",
            "Why does a bicycle wheel of %d spokes stay upright when it spins?",
            "Tell me a short story about a lighthouse keeper and %d gulls");

    private final URI base;
    private final String adminKey;
    private final String mockExpert;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    /**
     * @param base the service's own address, such as {@code http://127.0.0.1:8080}
     * @param adminKey the admin key the service was started with
     * @param mockExpert a configured mock expert, called directly and through the relay expert
     */
    TrainingRequests(URI base, String adminKey, String mockExpert, JsonMapper json) {
        this.base = base;
        this.adminKey = adminKey;
        this.mockExpert = mockExpert;
        this.json = json;
    }

    /** How many requests of each kind went as expected, and a line for each that did not. */
    record Outcome(Map<String, Integer> expected, List<String> unexpected) {

        boolean asExpected() {
            return unexpected.isEmpty();
        }

        int total() {
            return expected.values().stream().mapToInt(Integer::intValue).sum() + unexpected.size();
        }
    }

    /**
     * Sends the set-up, then {@code rounds} rounds from each of {@code clients} clients at once; after a
     * request that did not get what it should, the clients finish their round and stop.
     */
    Outcome send(int clients, int rounds) {
        Tally tally = new Tally();
        String apiKey = setUp(tally);
        if (apiKey == null) {
            return tally.outcome();
        }
        AtomicInteger question = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int client = 0; client < clients; client++) {
                int number = client;
                pool.submit(() -> {
                    try {
                        // A service that failed once is broken: stop at the end of the round.
                        for (int round = 0; round < rounds && !tally.failed(); round++) {
                            for (Call call : round(apiKey, question.incrementAndGet())) {
                                send(call, tally);
                            }
                        }
                    } catch (RuntimeException e) {
                        tally.stopped(number, e);
                    }
                });
            }
        }
        return tally.outcome();
    }

    /** Makes the API key and the relay expert; returns the key, or null when the set-up failed. */
    private @Nullable String setUp(Tally tally) {
        HttpResponse<String> key = send(new Call("make an API key", "POST", "/admin/api/keys",
                "{\"name\": \"aot-training\"}", adminKey, 201, false), tally);
        if (key == null || key.statusCode() != 201) {
            return null;
        }
        String apiKey = json.readTree(key.body()).path("key").asString();
        String relay = """
                {"id": "%s", "provider": "openai", "base_url": "%s/v1", "model": "%s", "api_key": "%s",
                 "roles": ["expert"]}""".formatted(RELAY_EXPERT, base, mockExpert, apiKey);
        HttpResponse<String> expert = send(new Call("register an OpenAI-compatible expert", "POST", "/admin/api/experts",
                relay, adminKey, 201, false), tally);
        return expert == null || expert.statusCode() != 201 ? null : apiKey;
    }

    private List<Call> round(String apiKey, int n) {
        String question = QUESTIONS.get(n % QUESTIONS.size()).formatted(n);
        List<Call> calls = new ArrayList<>();
        calls.add(new Call("list models without a key", "GET", "/v1/models", null, null, 401, false));
        calls.add(new Call("list models", "GET", "/v1/models", null, apiKey, 200, false));
        for (String model : List.of(mockExpert, RELAY_EXPERT, "consilium/route", "consilium/auto")) {
            for (boolean stream : new boolean[] {false, true}) {
                calls.add(new Call((stream ? "stream from " : "ask ") + (model.equals(mockExpert) ? "the mock expert" : model),
                        "POST", "/v1/chat/completions", chat(model, stream, question), apiKey, 200, stream));
            }
        }
        calls.add(new Call("send a request without messages", "POST", "/v1/chat/completions",
                "{\"model\": \"" + mockExpert + "\", \"messages\": []}", apiKey, 400, false));
        calls.add(new Call("probe readiness", "GET", "/actuator/health/readiness", null, null, 200, false));
        calls.add(new Call("probe liveness", "GET", "/actuator/health/liveness", null, null, 200, false));
        calls.add(new Call("scrape metrics", "GET", "/actuator/prometheus", null, null, 200, false));
        return calls;
    }

    private static String chat(String model, boolean stream, String question) {
        return """
                {"model": "%s", "stream": %b, "messages": [{"role": "user", "content": "%s"}]}"""
                .formatted(model, stream, question);
    }

    /** Sends one call and counts how it went; returns the response, or null when there was none. */
    private @Nullable HttpResponse<String> send(Call call, Tally tally) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(call.path())).timeout(TIMEOUT)
                .method(call.method(), call.body() == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        if (call.body() != null) {
            request.header("content-type", "application/json");
        }
        if (call.key() != null) {
            request.header("authorization", "Bearer " + call.key());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            tally.unexpected(call, "no response: " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tally.unexpected(call, "interrupted");
            return null;
        }
        if (response.statusCode() != call.expected()) {
            tally.unexpected(call, "status " + response.statusCode() + ": " + abbreviate(response.body()));
        } else if (call.streamed() && !response.body().stripTrailing().endsWith("data: [DONE]")) {
            tally.unexpected(call, "the stream did not end with [DONE]: " + abbreviate(response.body()));
        } else {
            tally.expected(call);
        }
        return response;
    }

    private static String abbreviate(String body) {
        String line = body.replaceAll("\\s+", " ").strip();
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }

    /** One request, the bearer key it carries (none when null) and the status it must get. */
    private record Call(String name, String method, String path, @Nullable String body, @Nullable String key,
            int expected, boolean streamed) {}

    private static final class Tally {

        private final Map<String, AtomicInteger> expected = new ConcurrentHashMap<>();
        private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());

        void expected(Call call) {
            expected.computeIfAbsent(describe(call), name -> new AtomicInteger()).incrementAndGet();
        }

        void unexpected(Call call, String what) {
            unexpected.add(describe(call) + ": " + what);
        }

        boolean failed() {
            return !unexpected.isEmpty();
        }

        void stopped(int client, RuntimeException e) {
            unexpected.add("client " + client + " stopped: " + e);
        }

        Outcome outcome() {
            Map<String, Integer> counts = new TreeMap<>();
            expected.forEach((name, count) -> counts.put(name, count.get()));
            synchronized (unexpected) {
                return new Outcome(Collections.unmodifiableMap(counts), List.copyOf(unexpected));
            }
        }

        private static String describe(Call call) {
            return call.name() + " (" + call.method() + " " + call.path() + " → " + call.expected() + ")";
        }
    }
}
