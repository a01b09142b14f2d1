package io.consilium.router.batchapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.TinyDecoderModels;
import io.consilium.router.RunningService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Batching with real local models: tiny ONNX decoders written by the test, run in the service. */
class LocalExpertBatchIT extends RunningService {

    @TempDir
    Path models;

    @Autowired
    private MeterRegistry meters;

    private Expert local(String id, String directory) {
        Path model = TinyDecoderModels.withKvCache(models.resolve(directory)).directory();
        return registry.register(Expert.builder(id).provider(Provider.ONNX).modelPath(model.toString()).build());
    }

    private String line(String customId, String model) {
        return "{\"custom_id\": \"" + customId + "\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", "
                + "\"body\": {\"model\": \"" + model + "\", \"max_tokens\": 6, \"messages\": [{\"role\": \"user\", "
                + "\"content\": \"why is the sky blue ?\"}]}}";
    }

    private double loads(String expertId) {
        Counter counter = meters.find(ModelLoads.COUNTER).tag("expert", expertId).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void should_load_each_local_model_once_for_a_batch_that_interleaves_two_local_experts() {
        // given: twelve lines alternating between two local models
        Expert first = local("batch-local-a", "a");
        Expert second = local("batch-local-b", "b");
        try {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                lines.add(line("l" + i, i % 2 == 0 ? first.id() : second.id()));
            }
            String fileId = json(upload(String.join("\n", lines))).path("id").asString();

            // when
            String batchId = json(postJson("/v1/batches", "{\"input_file_id\": \"" + fileId
                    + "\", \"endpoint\": \"/v1/chat/completions\", \"completion_window\": \"24h\"}")).path("id").asString();
            JsonNode done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> json(send("GET", "/v1/batches/" + batchId, null, null)),
                            batch -> batch.path("status").asString().equals("completed"));

            // then
            assertThat(done.path("request_counts").path("completed").asInt()).as(done.toString()).isEqualTo(12);
            JsonNode consilium = done.path("consilium");
            assertThat(consilium.path("groups").path(first.id()).asInt()).isEqualTo(6);
            assertThat(consilium.path("groups").path(second.id()).asInt()).isEqualTo(6);
            assertThat(consilium.path("experts").path(first.id()).path("model_loads").asLong()).isEqualTo(1);
            assertThat(consilium.path("experts").path(second.id()).path("model_loads").asLong()).isEqualTo(1);
            assertThat(consilium.path("model_loads").asLong()).isEqualTo(2);
            assertThat(loads(first.id())).isEqualTo(1);
            assertThat(loads(second.id())).isEqualTo(1);
            DistributionSummary passes = meters.find("consilium.expert.batch.size").tag("expert", first.id()).summary();
            assertThat(passes.totalAmount()).isEqualTo(6);
            assertThat(passes.count()).as("six requests in passes of at most eight").isEqualTo(1);
        } finally {
            registry.remove(first.id());
            registry.remove(second.id());
        }
    }

    @Test
    void should_answer_concurrent_chat_requests_to_a_local_expert_through_its_batcher() throws Exception {
        // given
        Expert expert = local("online-local", "online");
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            String body = "{\"model\": \"" + expert.id() + "\", \"max_tokens\": 6, "
                    + "\"messages\": [{\"role\": \"user\", \"content\": \"tell me about the sea\"}]}";

            // when
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> postJson("/v1/chat/completions", body), clients));
            }

            // then
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(json(response).path("choices").path(0).path("message").path("content").isString()).isTrue();
            }
            DistributionSummary passes = meters.find("consilium.expert.batch.size").tag("expert", expert.id()).summary();
            assertThat(passes.totalAmount()).isEqualTo(8);
            assertThat(passes.max()).isLessThanOrEqualTo(8);
        } finally {
            registry.remove(expert.id());
        }
    }

    private HttpResponse<String> upload(String jsonl) {
        String boundary = "consilium-test-boundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"local.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n" + jsonl + "\n\r\n--" + boundary + "--\r\n";
        HttpResponse<String> response = send("POST", "/v1/files", "multipart/form-data; boundary=" + boundary, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }
}
