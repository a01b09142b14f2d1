package io.consilium.router.batchapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import io.consilium.registry.Expert;
import io.consilium.registry.Limits;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.router.RunningService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Batch API through the official OpenAI SDK, over experts on fake upstreams: a mixed batch (direct
 * experts and {@code consilium/auto}) is grouped by expert and answered line by line; bad files are
 * refused naming the line; batches can be cancelled; a key's grant is applied to each line.
 */
class BatchApiIT extends RunningService {

    private static final FakeOpenAiUpstream ALPHA = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream BETA = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream AGGREGATOR = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream SLOW = FakeOpenAiUpstream.start();
    private static final List<FakeOpenAiUpstream> ALL = List.of(ALPHA, BETA, AGGREGATOR, SLOW);
    private static final String AUTO_OPTIONS = "\"consilium\": {\"experts\": {\"allow\": [\"batch-alpha\", "
            + "\"batch-beta\"]}, \"k\": 2, \"fusion\": \"synthesize\", \"aggregator\": \"batch-aggregator\"}";
    private static boolean registered;

    @AfterAll
    static void stopUpstreams() {
        ALL.forEach(FakeOpenAiUpstream::close);
    }

    @BeforeEach
    void registerExperts() {
        ALL.forEach(FakeOpenAiUpstream::reset);
        // Different final answers, so that the virtual model has no consensus and asks the aggregator.
        ALPHA.answerWith(answering("The answer is Paris. [alpha on: %s]"));
        BETA.answerWith(answering("The answer is London. [beta on: %s]"));
        AGGREGATOR.answerWith(Reply.completion("The answer is Paris. [synthesized]"));
        SLOW.answerWith(Reply.delayed(Duration.ofMillis(700), Reply.completion("slowly")));
        if (registered) {
            return;
        }
        registered = true;
        registry.register(Expert.builder("batch-alpha").provider(Provider.OPENAI).baseUrl(ALPHA.baseUrl()).model("a").build());
        registry.register(Expert.builder("batch-beta").provider(Provider.OPENAI).baseUrl(BETA.baseUrl()).model("b").build());
        registry.register(Expert.builder("batch-aggregator").provider(Provider.OPENAI).baseUrl(AGGREGATOR.baseUrl())
                .model("agg").roleIds(List.of("aggregator")).build());
        registry.register(Expert.builder("batch-slow").provider(Provider.OPENAI).baseUrl(SLOW.baseUrl()).model("s")
                .limits(new Limits(1, Duration.ofSeconds(10), 8192)).build());
    }

    /** Answers with the template filled with the request's last user message. */
    private static Reply answering(String template) {
        return (exchange, request, upstream) -> {
            JsonNode messages = request.path("messages");
            String question = messages.path(messages.size() - 1).path("content").asString("");
            Reply.completion(template.formatted(question)).send(exchange, request, upstream);
        };
    }

    private static String line(String customId, String model, String question, String options) {
        return "{\"custom_id\": \"" + customId + "\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\": "
                + "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"" + question + "\"}]"
                + (options.isEmpty() ? "" : ", " + options) + "}}";
    }

    private static FileObject upload(OpenAIClient client, String... lines) {
        try {
            Path file = Files.createTempFile("batch-input", ".jsonl");
            Files.writeString(file, String.join("\n", lines) + "\n");
            try {
                return client.files().create(FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Batch create(OpenAIClient client, String inputFileId) {
        return client.batches().create(BatchCreateParams.builder()
                .inputFileId(inputFileId)
                .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H)
                .build());
    }

    private static Batch awaitStatus(OpenAIClient client, String batchId, Batch.Status status) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.batches().retrieve(batchId), batch -> batch.status().equals(status));
    }

    private static List<JsonNode> contentLines(OpenAIClient client, String fileId) {
        try (HttpResponse response = client.files().content(fileId)) {
            String content = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            List<JsonNode> lines = new ArrayList<>();
            content.lines().filter(line -> !line.isBlank()).forEach(line -> lines.add(JSON.readTree(line)));
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentOf(JsonNode outputLine) {
        return outputLine.path("response").path("body").path("choices").path(0).path("message").path("content").asString();
    }

    @Test
    void should_answer_a_mixed_batch_line_by_line_in_input_order_grouped_by_expert() {
        // given
        FileObject input = upload(openAi,
                line("r1", "batch-alpha", "Capital of France?", ""),
                line("r2", "consilium/auto", "Capital of England?", AUTO_OPTIONS),
                line("r3", "batch-beta", "Capital of Spain?", ""),
                line("r4", "consilium/auto", "Capital of Italy?", AUTO_OPTIONS),
                line("r5", "batch-alpha", "Capital of Peru?", ""));

        // when
        Batch created = create(openAi, input.id());
        Batch done = awaitStatus(openAi, created.id(), Batch.Status.COMPLETED);

        // then
        assertThat(input.purpose()).isEqualTo(FileObject.Purpose.BATCH);
        assertThat(openAi.files().retrieve(input.id()).bytes()).isEqualTo(input.bytes()).isPositive();
        assertThat(created.status()).isIn(Batch.Status.VALIDATING, Batch.Status.IN_PROGRESS);
        assertThat(created.inputFileId()).isEqualTo(input.id());
        assertThat(done.requestCounts()).hasValueSatisfying(counts -> {
            assertThat(counts.total()).isEqualTo(5);
            assertThat(counts.completed()).isEqualTo(5);
            assertThat(counts.failed()).isZero();
        });
        assertThat(done.completedAt()).isPresent();
        assertThat(done.errorFileId()).isEmpty();
        List<JsonNode> output = contentLines(openAi, done.outputFileId().orElseThrow());
        assertThat(output).extracting(line -> line.path("custom_id").asString()).containsExactly("r1", "r2", "r3", "r4", "r5");
        assertThat(output).allSatisfy(line -> {
            assertThat(line.path("response").path("status_code").asInt()).isEqualTo(200);
            assertThat(line.path("error").isNull()).isTrue();
            assertThat(line.path("id").asString()).startsWith("batch_req_");
        });
        assertThat(contentOf(output.get(0))).isEqualTo("The answer is Paris. [alpha on: Capital of France?]");
        assertThat(contentOf(output.get(2))).isEqualTo("The answer is London. [beta on: Capital of Spain?]");
        assertThat(contentOf(output.get(4))).isEqualTo("The answer is Paris. [alpha on: Capital of Peru?]");
        assertThat(contentOf(output.get(1))).isEqualTo("The answer is Paris. [synthesized]");
        JsonNode fused = output.get(3).path("response").path("body");
        assertThat(fused.path("model").asString()).isEqualTo("consilium/auto");
        assertThat(fused.path("consilium").path("fusion").asString()).isEqualTo("synthesize");
        assertThat(fused.path("consilium").path("aggregator").asString()).isEqualTo("batch-aggregator");
        assertThat(output.get(0).path("response").path("body").path("consilium").path("experts").path(0).path("id")
                .asString()).isEqualTo("batch-alpha");
        JsonNode consilium = json(send("GET", "/v1/batches/" + created.id(), null, null)).path("consilium");
        assertThat(consilium.path("groups").path("batch-alpha").asInt()).isEqualTo(4);
        assertThat(consilium.path("groups").path("batch-beta").asInt()).isEqualTo(3);
        assertThat(consilium.path("aggregator_groups").path("batch-aggregator").asInt()).isEqualTo(2);
        assertThat(consilium.path("experts").path("batch-alpha").path("answered").asInt()).isEqualTo(4);
        assertThat(consilium.path("experts").path("batch-aggregator").path("requests").asInt()).isEqualTo(2);
        assertThat(consilium.path("model_loads").asLong()).isZero();
        assertThat(ALPHA.calls()).isEqualTo(4);
        assertThat(BETA.calls()).isEqualTo(3);
        assertThat(AGGREGATOR.calls()).isEqualTo(2);
        assertThat(openAi.batches().list().data()).extracting(Batch::id).contains(created.id());
    }

    @Test
    void should_refuse_a_file_with_an_invalid_line_naming_the_line_and_the_problem() {
        // when / then
        assertThatThrownBy(() -> upload(openAi,
                line("ok", "batch-alpha", "fine", ""),
                "{\"custom_id\": \"bad\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", "
                        + "\"body\": {\"model\": \"batch-alpha\"}}"))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("Line 2").contains("messages");
                    assertThat(e.param()).hasValue("file");
                });
        assertThatThrownBy(() -> upload(openAi, line("same", "batch-alpha", "a", ""), line("same", "batch-beta", "b", "")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("Line 2").hasMessageContaining("custom_id");
        assertThatThrownBy(() -> upload(openAi, "not json"))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("Line 1");
        assertThatThrownBy(() -> upload(openAi, line("x", "batch-alpha", "q", "\"stream\": true")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("stream");
    }

    @Test
    void should_refuse_bad_batch_requests_and_unknown_ids_in_the_openai_error_shape() {
        // given
        FileObject input = upload(openAi, line("r1", "batch-alpha", "q", ""));

        // when
        var wrongEndpoint = postJson("/v1/batches", "{\"input_file_id\": \"" + input.id()
                + "\", \"endpoint\": \"/v1/completions\", \"completion_window\": \"24h\"}");
        var wrongWindow = postJson("/v1/batches", "{\"input_file_id\": \"" + input.id()
                + "\", \"endpoint\": \"/v1/chat/completions\", \"completion_window\": \"1h\"}");
        var unknownFile = postJson("/v1/batches", "{\"input_file_id\": \"file-nope\", "
                + "\"endpoint\": \"/v1/chat/completions\", \"completion_window\": \"24h\"}");
        var unknownBatch = send("GET", "/v1/batches/batch_nope", null, null);
        var unknownFileRead = send("GET", "/v1/files/file-nope/content", null, null);
        var notMultipart = postJson("/v1/files", "{}");
        var wrongPurpose = send("POST", "/v1/files", "multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n--b--\r\n");
        var tooLarge = send("POST", "/v1/files", "multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jsonl\"\r\n\r\n"
                        + "x".repeat(70_000) + "\r\n--b--\r\n");

        // then
        assertThat(wrongEndpoint.statusCode()).isEqualTo(400);
        assertThat(json(wrongEndpoint).path("error").path("param").asString()).isEqualTo("endpoint");
        assertThat(json(wrongWindow).path("error").path("param").asString()).isEqualTo("completion_window");
        assertThat(unknownFile.statusCode()).isEqualTo(404);
        assertThat(json(unknownFile).path("error").path("code").asString()).isEqualTo("file_not_found");
        assertThat(unknownBatch.statusCode()).isEqualTo(404);
        assertThat(json(unknownBatch).path("error").path("code").asString()).isEqualTo("batch_not_found");
        assertThat(unknownFileRead.statusCode()).isEqualTo(404);
        assertThat(notMultipart.statusCode()).isEqualTo(400);
        assertThat(wrongPurpose.statusCode()).as(wrongPurpose.body()).isEqualTo(400);
        assertThat(json(wrongPurpose).path("error").path("param").asString()).isEqualTo("purpose");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(json(tooLarge).path("error").has("message")).isTrue();
    }

    @Test
    void should_stop_a_cancelled_batch_and_keep_the_lines_that_finished() {
        // given: one slow line at a time
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lines.add(line("s" + i, "batch-slow", "slow question " + i, ""));
        }
        Batch created = create(openAi, upload(openAi, lines.toArray(String[]::new)).id());
        await().atMost(Duration.ofSeconds(10)).until(() -> SLOW.calls() >= 2);

        // when
        Batch cancelling = openAi.batches().cancel(created.id());
        Batch cancelled = awaitStatus(openAi, created.id(), Batch.Status.CANCELLED);

        // then
        assertThat(cancelling.status()).isIn(Batch.Status.CANCELLING, Batch.Status.CANCELLED);
        assertThat(cancelled.cancellingAt()).isPresent();
        assertThat(cancelled.cancelledAt()).isPresent();
        long completed = cancelled.requestCounts().orElseThrow().completed();
        assertThat(completed).isBetween(1L, 7L);
        assertThat(contentLines(openAi, cancelled.outputFileId().orElseThrow())).hasSize((int) completed)
                .allSatisfy(line -> assertThat(contentOf(line)).isEqualTo("slowly"));
        int callsOnceCancelled = SLOW.calls();
        await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3))
                .until(() -> SLOW.calls() == callsOnceCancelled);
        assertThat(openAi.batches().cancel(created.id()).status()).isEqualTo(Batch.Status.CANCELLED);
    }

    @Test
    void should_refuse_to_cancel_a_batch_that_has_completed() {
        // given
        Batch done = awaitStatus(openAi, create(openAi, upload(openAi, line("r1", "batch-alpha", "q", "")).id()).id(),
                Batch.Status.COMPLETED);

        // when
        var response = send("POST", "/v1/batches/" + done.id() + "/cancel", null, null);

        // then
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).path("error").path("code").asString()).isEqualTo("batch_not_cancellable");
    }

    @Test
    void should_fail_the_lines_whose_model_the_key_may_not_use_and_hide_the_batch_from_other_keys() {
        // given: a key granted batch-alpha only
        var created = postJson("/admin/api/keys", "{\"name\": \"batch-alpha-only\", \"models\": [\"batch-alpha\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        OpenAIClient limited = client(json(created).path("key").asString());
        FileObject input = upload(limited,
                line("allowed", "batch-alpha", "Capital of Chile?", ""),
                line("denied", "batch-beta", "Capital of Cuba?", ""),
                line("denied-auto", "consilium/auto", "Capital of Iran?", AUTO_OPTIONS));

        // when
        Batch done = awaitStatus(limited, create(limited, input.id()).id(), Batch.Status.COMPLETED);

        // then
        assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(1);
        assertThat(done.requestCounts().orElseThrow().failed()).isEqualTo(2);
        List<JsonNode> output = contentLines(limited, done.outputFileId().orElseThrow());
        assertThat(output).extracting(line -> line.path("custom_id").asString())
                .containsExactly("allowed", "denied", "denied-auto");
        assertThat(contentOf(output.get(0))).contains("alpha on: Capital of Chile?");
        assertThat(output.get(1).path("response").path("status_code").asInt()).isEqualTo(403);
        assertThat(output.get(1).path("error").path("code").asString()).isEqualTo("model_not_allowed");
        assertThat(output.get(1).path("response").path("body").path("error").path("message").asString())
                .contains("batch-beta");
        List<JsonNode> errors = contentLines(limited, done.errorFileId().orElseThrow());
        assertThat(errors).extracting(line -> line.path("custom_id").asString()).containsExactly("denied", "denied-auto");
        assertThat(BETA.calls()).isZero();
        OpenAIClient other = client(json(postJson("/admin/api/keys", "{\"name\": \"someone-else\"}")).path("key").asString());
        assertThat(send("GET", "/v1/batches/" + done.id(), null, null, json(postJson("/admin/api/keys",
                "{\"name\": \"third\"}")).path("key").asString()).statusCode()).isEqualTo(404);
        assertThat(other.batches().list().data()).extracting(Batch::id).doesNotContain(done.id());
        assertThat(send("GET", "/v1/files/" + input.id(), null, null, ADMIN_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void should_fail_only_the_line_that_asks_a_virtual_model_for_several_choices_naming_n() {
        // given
        FileObject input = upload(openAi,
                line("two-from-alpha", "batch-alpha", "Capital of Peru?", "\"n\": 2"),
                line("two-from-auto", "consilium/auto", "Capital of Chad?", "\"n\": 2, " + AUTO_OPTIONS));

        // when
        Batch done = awaitStatus(openAi, create(openAi, input.id()).id(), Batch.Status.COMPLETED);

        // then
        assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(1);
        assertThat(done.requestCounts().orElseThrow().failed()).isEqualTo(1);
        List<JsonNode> output = contentLines(openAi, done.outputFileId().orElseThrow());
        assertThat(output).extracting(line -> line.path("custom_id").asString())
                .containsExactly("two-from-alpha", "two-from-auto");
        assertThat(contentOf(output.get(0))).contains("alpha on: Capital of Peru?");
        assertThat(output.get(1).path("response").path("status_code").asInt()).isEqualTo(400);
        assertThat(output.get(1).path("response").path("body").path("error").path("param").asString()).isEqualTo("n");
        assertThat(AGGREGATOR.calls()).isZero();
    }

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(baseUrl() + "/v1").apiKey(key).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }
}
