package io.consilium.router.batchapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.router.ConsiliumApplication;
import io.consilium.router.testing.RedisFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A batch outlives the instance that ran it: stopped mid-batch, it is resumed by the next instance on the
 * same Redis, which runs only the lines that had not finished.
 */
class BatchResumeIT {

    private static final String ADMIN_KEY = "resume-it-admin-key";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static RedisFixture redis;
    private static FakeOpenAiUpstream fast;
    private static FakeOpenAiUpstream paused;

    @BeforeAll
    static void start() {
        redis = RedisFixture.start();
        fast = FakeOpenAiUpstream.start();
        paused = FakeOpenAiUpstream.start();
    }

    @AfterAll
    static void stop() {
        fast.close();
        paused.close();
        redis.close();
    }

    /** Settings as command-line arguments: builder properties are defaults, which application.yaml overrides. */
    private static ConfigurableApplicationContext instance() {
        return new SpringApplicationBuilder(ConsiliumApplication.class).run(
                "--server.port=0",
                "--consilium.store=redis",
                "--consilium.redis.url=" + redis.server().url(),
                "--consilium.security.master-key=resume-it-master-key",
                "--consilium.auth.admin-key=" + ADMIN_KEY,
                "--consilium.experts=",
                "--consilium.resilience.max-retries=0");
    }

    private static OpenAIClient client(ConfigurableApplicationContext instance) {
        int port = ((WebServerApplicationContext) instance).getWebServer().getPort();
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey(ADMIN_KEY)
                .maxRetries(0).timeout(Duration.ofSeconds(30)).build();
    }

    private static String line(String customId, String model) {
        return "{\"custom_id\": \"" + customId + "\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", "
                + "\"body\": {\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"question "
                + customId + "\"}]}}";
    }

    @Test
    void should_finish_a_batch_left_in_progress_by_a_stopped_instance_without_redoing_finished_lines() throws Exception {
        // given: an instance runs a batch whose paused expert never answers
        paused.answerWith(Reply.hang());
        ConfigurableApplicationContext first = instance();
        ExpertRegistry registry = first.getBean(ExpertRegistry.class);
        registry.register(Expert.builder("resume-fast").provider(Provider.OPENAI).baseUrl(fast.baseUrl()).model("f").build());
        registry.register(Expert.builder("resume-paused").provider(Provider.OPENAI).baseUrl(paused.baseUrl()).model("p").build());
        Path input = Files.createTempFile("resume", ".jsonl");
        Files.writeString(input, String.join("\n", line("l1", "resume-fast"), line("l2", "resume-paused"),
                line("l3", "resume-fast"), line("l4", "resume-fast"), line("l5", "resume-paused"), line("l6", "resume-fast")));
        OpenAIClient firstClient = client(first);
        String fileId = firstClient.files().create(FileCreateParams.builder().file(input).purpose(FilePurpose.BATCH).build()).id();
        Files.delete(input);
        String batchId = firstClient.batches().create(BatchCreateParams.builder().inputFileId(fileId)
                .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H).build()).id();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                firstClient.batches().retrieve(batchId).requestCounts().map(counts -> counts.completed() == 4).orElse(false));
        await().atMost(Duration.ofSeconds(5)).until(() -> paused.calls() == 2);

        // when: it stops mid-batch, and another instance starts on the same Redis with the expert back
        first.close();
        paused.reset();
        try (ConfigurableApplicationContext second = instance()) {
            OpenAIClient secondClient = client(second);
            Batch done = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> secondClient.batches().retrieve(batchId), batch -> batch.status().equals(Batch.Status.COMPLETED));

            // then
            assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(6);
            assertThat(done.requestCounts().orElseThrow().failed()).isZero();
            assertThat(fast.calls()).as("finished lines are not redone").isEqualTo(4);
            assertThat(paused.calls()).isEqualTo(2);
            try (HttpResponse content = secondClient.files().content(done.outputFileId().orElseThrow())) {
                List<JsonNode> lines = new String(content.body().readAllBytes(), StandardCharsets.UTF_8).lines()
                        .map(JSON::readTree).toList();
                assertThat(lines).extracting(line -> line.path("custom_id").asString())
                        .containsExactly("l1", "l2", "l3", "l4", "l5", "l6");
                assertThat(lines.get(4).path("response").path("body").path("choices").path(0).path("message")
                        .path("content").asString()).isEqualTo("echo: question l5");
            }
        }
    }
}
