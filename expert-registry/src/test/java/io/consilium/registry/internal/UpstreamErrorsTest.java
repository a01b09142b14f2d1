package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertException;
import io.consilium.registry.Provider;
import org.junit.jupiter.api.Test;

class UpstreamErrorsTest {

    private static final SecretRedaction KNOWS_NOTHING = new SecretRedaction();

    @Test
    void should_redact_a_key_an_upstream_quotes_in_its_error_message() {
        // given
        String body = "{\"error\": {\"message\": \"Incorrect API key provided: sk-proj-Ab12Cd34Ef56Gh78. "
                + "Header was Bearer sk-x9.\"}}";

        // when
        String message = UpstreamErrors.upstreamMessage(body, KNOWS_NOTHING);

        // then
        assertThat(message).doesNotContain("Ab12Cd34Ef56Gh78").doesNotContain("sk-x9")
                .startsWith("Incorrect API key provided: ").contains("[redacted]");
    }

    @Test
    void should_redact_a_stored_key_however_short_and_plain_from_the_exception_message() {
        // given
        SecretRedaction redaction = SecretRedaction.of(Expert.builder("e").provider(Provider.OPENAI)
                .baseUrl("http://vllm:8000/v1").model("m").apiKey("hunter2").build());
        String body = "{\"error\": {\"message\": \"Incorrect API key provided: hunter2 (aHVudGVyMg==)\"}}";

        // when
        ExpertException failure = UpstreamErrors.fromAnswer("e", 401, null, body, redaction);

        // then
        assertThat(failure.getMessage()).doesNotContain("hunter2").doesNotContain("aHVudGVyMg")
                .endsWith("Incorrect API key provided: [redacted] ([redacted])");
    }

    @Test
    void should_redact_before_cutting_so_that_no_beginning_of_a_key_is_left_at_the_cut() {
        // given
        SecretRedaction redaction = SecretRedaction.of(Expert.builder("e").provider(Provider.OPENAI)
                .baseUrl("http://vllm:8000/v1").model("m").apiKey("hunter2-but-longer").build());
        String text = "x".repeat(295) + " hunter2-but-longer";

        // when
        String shortened = UpstreamErrors.shorten(text, redaction);

        // then
        assertThat(shortened).doesNotContain("hunt").hasSizeLessThanOrEqualTo(301);
    }

    @Test
    void should_keep_ordinary_words_and_short_identifiers() {
        assertThat(UpstreamErrors.clip("The model llama-3.1-8b-instruct does not exist; max_tokens must be <= 4096"))
                .isEqualTo("The model llama-3.1-8b-instruct does not exist; max_tokens must be <= 4096");
    }
}
