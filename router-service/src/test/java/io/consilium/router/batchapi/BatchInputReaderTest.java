package io.consilium.router.batchapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.router.api.ApiException;
import io.consilium.router.chat.ChatRequestValidator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchInputReaderTest {

    private final BatchInputReader reader = new BatchInputReader(new ChatRequestValidator(10));

    private static String line(String customId, String body) {
        return "{\"custom_id\": \"" + customId + "\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\": "
                + body + "}";
    }

    private static String chat(String model) {
        return "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
    }

    private void assertRefused(String content, String... fragments) {
        assertThatThrownBy(() -> reader.read(content))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.toError().error().param()).isEqualTo("file");
                    assertThat(e.getMessage()).contains(fragments);
                });
    }

    @Test
    void should_read_each_request_with_its_position_and_line_skipping_blank_lines() {
        // when
        List<BatchLine> lines = reader.read(line("a", chat("expert-1")) + "\r\n\n  \n" + line("b", chat("consilium/auto")));

        // then
        assertThat(lines).extracting(BatchLine::index).containsExactly(0, 1);
        assertThat(lines).extracting(BatchLine::lineNumber).containsExactly(1, 4);
        assertThat(lines).extracting(BatchLine::customId).containsExactly("a", "b");
        assertThat(lines).extracting(BatchLine::model).containsExactly("expert-1", "consilium/auto");
    }

    @Test
    void should_refuse_the_first_bad_line_naming_its_number_and_the_problem() {
        String good = line("ok", chat("m"));
        assertRefused(good + "\n{not json", "Line 2", "not valid JSON");
        assertRefused(good + "\n[1, 2]", "Line 2", "JSON object");
        assertRefused(good + "\n" + line("ok", chat("m")), "Line 2", "'ok' is already used on line 1");
        assertRefused("{\"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\": " + chat("m") + "}",
                "Line 1", "'custom_id'");
        assertRefused(line("x", chat("m")).replace("\"POST\"", "\"GET\""), "Line 1", "'method'");
        assertRefused(line("x", chat("m")).replace("/v1/chat/completions", "/v1/completions"), "Line 1", "'url'");
        assertRefused(line("x", chat("m")).replace("/v1/chat/completions", "/v1/embeddings"), "Line 1", "body.input");
        assertRefused(line("x", chat("m")).replace("\"custom_id\"", "\"extra\": 1, \"custom_id\""), "'extra'");
        assertRefused(line("x", "\"text\""), "Line 1", "'body'");
        assertRefused(line("x", "{\"model\": \"m\", \"messages\": []}"), "Line 1", "body.messages");
        assertRefused(line("x", "{\"model\": \"m\", \"stream\": true, \"messages\": [{\"role\": \"user\", "
                + "\"content\": \"hi\"}]}"), "Line 1", "stream");
        assertRefused(line("x", "{\"model\": \"m\", \"temperature\": 9, \"messages\": [{\"role\": \"user\", "
                + "\"content\": \"hi\"}]}"), "Line 1", "body.temperature");
        assertRefused(line("x".repeat(513), chat("m")), "Line 1", "512");
        assertRefused("\n\n", "no requests");
    }

    @Test
    void should_refuse_more_requests_than_one_batch_may_hold() {
        // given
        String many = IntStream.rangeClosed(0, BatchInputReader.MAX_REQUESTS)
                .mapToObj(i -> line("r" + i, chat("m")))
                .collect(Collectors.joining("\n"));

        // then
        assertRefused(many, "more than " + BatchInputReader.MAX_REQUESTS);
    }

    @Test
    void should_refuse_an_upload_that_is_not_utf8() {
        assertThatThrownBy(() -> BatchInputReader.decode(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}))
                .isInstanceOf(ApiException.class).hasMessageContaining("UTF-8");
        assertThat(BatchInputReader.decode("ünïcode".getBytes(StandardCharsets.UTF_8))).isEqualTo("ünïcode");
    }
}
