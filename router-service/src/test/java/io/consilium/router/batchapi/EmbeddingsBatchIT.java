package io.consilium.router.batchapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.core.http.HttpResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import io.consilium.registry.Expert;
import io.consilium.registry.testing.FakeOpenAiUpstream;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Batch API lines that target {@code /v1/embeddings}, through the official OpenAI Java SDK. */
class EmbeddingsBatchIT extends RunningService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();

    private Expert remote;

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @BeforeEach
    void registerExpert() {
        UPSTREAM.reset();
        remote = registerRemote(UPSTREAM.baseUrl(), builder -> builder.roleIds(List.of("embedding")));
    }

    @AfterEach
    void removeExpert() {
        registry.remove(remote.id());
    }

    private static String line(String customId, String body) {
        return "{\"custom_id\": \"" + customId + "\", \"method\": \"POST\", \"url\": \"/v1/embeddings\", \"body\": " + body + "}";
    }

    private FileObject upload(String... lines) {
        try {
            Path file = Files.createTempFile("batch-input", ".jsonl");
            Files.writeString(file, String.join("\n", lines) + "\n");
            try {
                return openAi.files().create(FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<JsonNode> contentLines(String fileId) {
        try (HttpResponse response = openAi.files().content(fileId)) {
            List<JsonNode> lines = new ArrayList<>();
            new String(response.body().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).forEach(line -> lines.add(JSON.readTree(line)));
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void should_run_embeddings_lines_and_write_each_answer_or_error_under_its_custom_id() {
        // given: a remote expert, the built-in one, routing, and a line the built-in expert refuses
        FileObject input = upload(
                line("remote", "{\"model\": \"" + remote.id() + "\", \"input\": [\"a b\", \"c\"], \"dimensions\": 4}"),
                line("local", "{\"model\": \"all-minilm-l6-v2\", \"input\": \"batch text\", \"encoding_format\": \"base64\"}"),
                line("routed", "{\"model\": \"consilium/route\", \"input\": \"hello there\"}"),
                line("refused", "{\"model\": \"all-minilm-l6-v2\", \"input\": \"x\", \"dimensions\": 10}"));

        // when
        Batch batch = openAi.batches().create(BatchCreateParams.builder().inputFileId(input.id())
                .endpoint(BatchCreateParams.Endpoint.V1_EMBEDDINGS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H).build());
        Batch done = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> openAi.batches().retrieve(batch.id()), found -> found.status().equals(Batch.Status.COMPLETED));

        // then
        assertThat(done.endpoint()).isEqualTo("/v1/embeddings");
        List<JsonNode> output = contentLines(done.outputFileId().orElseThrow());
        assertThat(output).extracting(line -> line.path("custom_id").asString())
                .containsExactly("remote", "local", "routed", "refused");
        assertThat(output).extracting(line -> line.path("response").path("status_code").asInt())
                .containsExactly(200, 200, 200, 400);
        JsonNode remoteBody = output.get(0).path("response").path("body");
        assertThat(remoteBody.path("data")).hasSize(2);
        assertThat(remoteBody.path("data").path(0).path("embedding")).hasSize(4);
        assertThat(remoteBody.path("consilium").path("expert").asString()).isEqualTo(remote.id());
        assertThat(output.get(1).path("response").path("body").path("data").path(0).path("embedding").isString()).isTrue();
        assertThat(output.get(2).path("response").path("body").path("consilium").path("strategy").asString())
                .isEqualTo("route");
        List<JsonNode> errors = contentLines(done.errorFileId().orElseThrow());
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.path("custom_id").asString()).isEqualTo("refused");
            assertThat(error.path("response").path("status_code").asInt()).isEqualTo(400);
            assertThat(error.path("response").path("body").path("error").path("param").asString()).isEqualTo("dimensions");
        });
        assertThat(UPSTREAM.received()).extracting(FakeOpenAiUpstream.Received::path).contains("/v1/embeddings");
    }

    @Test
    void should_refuse_a_file_whose_lines_ask_another_endpoint_than_the_batch() {
        // given
        FileObject input = upload(line("e", "{\"model\": \"" + remote.id() + "\", \"input\": \"x\"}"));

        // when
        var response = postJson("/v1/batches", "{\"input_file_id\": \"" + input.id()
                + "\", \"endpoint\": \"/v1/chat/completions\", \"completion_window\": \"24h\"}");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").path("message").asString()).contains("/v1/embeddings");
    }

    @Test
    void should_refuse_an_embeddings_line_with_a_bad_field_naming_the_line_and_the_field() {
        // when: the upload is read at once
        assertThatThrownBy(() -> upload(line("ok", "{\"model\": \"" + remote.id() + "\", \"input\": \"x\"}"),
                line("bad", "{\"model\": \"" + remote.id() + "\", \"input\": \"x\", \"encoding_format\": \"int8\"}")))

                // then
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Line 2").hasMessageContaining("body.encoding_format");
    }
}
