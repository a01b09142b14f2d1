package io.consilium.benchmarks;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.EgressPolicy;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.LocalModelSettings;
import io.consilium.registry.Provider;
import io.consilium.registry.ResilienceSettings;
import io.consilium.registry.testing.TinyDecoderModels;
import io.consilium.registry.testing.TinyDecoderModels.Spec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Local-model figures on tiny decoders written in code: generated tokens per second at batch 1, 4 and 8,
 * and an offline batch of 400 requests over 8 local experts with room for 2 resident models, answered
 * in arrival order versus grouped by expert (model loads and wall time).
 *
 * <p>Run: {@code "$JAVA_HOME/bin/java" -cp benchmarks/target/benchmarks.jar io.consilium.benchmarks.LocalModelRunner}
 */
public final class LocalModelRunner {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int EXPERTS = 8;
    private static final int REQUESTS = 400;
    private static final int NEW_TOKENS = 24;

    private LocalModelRunner() {}

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory("consilium-local-bench");
        List<Path> models = new ArrayList<>();
        for (int i = 0; i < EXPERTS; i++) {
            models.add(TinyDecoderModels.write(root.resolve("m" + i), Spec.withKvCache(100 + i).withEosBias(-50)).directory());
        }
        long modelBytes = Files.size(models.getFirst().resolve("model.onnx"));
        throughput(models.getFirst());
        offlineBatch(models, modelBytes);
    }

    private static void throughput(Path model) {
        try (ExpertClients clients = clients(LocalModelSettings.custom().intraOpThreads(1).build(), new SimpleMeterRegistry())) {
            ExpertClient client = clients.clientFor(expert("speed", model));
            for (int batch : new int[] {1, 4, 8}) {
                List<ChatRequest> prompts = prompts(batch, new SplittableRandom(batch));
                for (int i = 0; i < 30; i++) {
                    client.chatBatch(prompts);
                }
                int runs = 60;
                long tokens = 0;
                long started = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    tokens += client.chatBatch(prompts).stream().mapToLong(c -> c.usage().completionTokens()).sum();
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("batch %d: %.0f generated tokens/s (%d runs of %d prompts x %d tokens)%n",
                        batch, tokens / seconds, runs, batch, NEW_TOKENS);
            }
        }
    }

    private static void offlineBatch(List<Path> models, long modelBytes) {
        SplittableRandom random = new SplittableRandom(42);
        List<Integer> arrivals = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            arrivals.add(random.nextInt(EXPERTS));
        }
        LocalModelSettings twoResident = LocalModelSettings.custom().intraOpThreads(1)
                .memoryBudgetBytes(modelBytes * 2 + modelBytes / 2).build();
        for (boolean grouped : new boolean[] {false, true}) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (ExpertClients clients = clients(twoResident, meters)) {
                List<ExpertClient> experts = new ArrayList<>();
                for (int i = 0; i < EXPERTS; i++) {
                    experts.add(clients.clientFor(expert("local-" + i, models.get(i))));
                }
                long started = System.nanoTime();
                int answered = 0;
                if (grouped) {
                    Map<Integer, List<ChatRequest>> groups = new LinkedHashMap<>();
                    for (int i = 0; i < arrivals.size(); i++) {
                        groups.computeIfAbsent(arrivals.get(i), e -> new ArrayList<>()).add(prompt(i));
                    }
                    for (Map.Entry<Integer, List<ChatRequest>> group : groups.entrySet()) {
                        answered += experts.get(group.getKey()).chatBatch(group.getValue()).size();
                    }
                } else {
                    for (int i = 0; i < arrivals.size(); i++) {
                        experts.get(arrivals.get(i)).chat(prompt(i));
                        answered++;
                    }
                }
                Duration wall = Duration.ofNanos(System.nanoTime() - started);
                double loads = meters.find("consilium.local.model.loads").counters().stream().mapToDouble(c -> c.count()).sum();
                System.out.printf("%-16s %d requests over %d experts, room for 2 models: %.0f model loads, %d ms%n",
                        grouped ? "grouped by expert" : "arrival order", answered, EXPERTS, loads, wall.toMillis());
            }
        }
    }

    private static ExpertClients clients(LocalModelSettings settings, SimpleMeterRegistry meters) {
        return ExpertClients.create(ResilienceSettings.ofDefaults(), meters, EgressPolicy.ofDefaults(), settings);
    }

    private static Expert expert(String id, Path model) {
        return Expert.builder(id).provider(Provider.ONNX).modelPath(model.toString()).build();
    }

    private static List<ChatRequest> prompts(int count, SplittableRandom random) {
        List<ChatRequest> prompts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            prompts.add(prompt(random.nextInt(1000)));
        }
        return prompts;
    }

    private static ChatRequest prompt(int n) {
        List<String> words = TinyDecoderModels.WORDS;
        String text = words.get(n % words.size()) + " " + words.get((n * 7) % words.size()) + " " + words.get((n * 13) % words.size());
        ObjectNode body = JSON.createObjectNode().put("model", "local").put("max_tokens", NEW_TOKENS).put("temperature", 0);
        body.putArray("messages").addObject().put("role", "user").put("content", text);
        return new ChatRequest(body);
    }
}
