package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpstreamErrorsTest {

    @Test
    void should_redact_a_key_an_upstream_quotes_in_its_error_message() {
        // given
        String body = "{\"error\": {\"message\": \"Incorrect API key provided: sk-proj-Ab12Cd34Ef56Gh78. "
                + "Header was Bearer sk-x9.\"}}";

        // when
        String message = UpstreamErrors.upstreamMessage(body);

        // then
        assertThat(message).doesNotContain("Ab12Cd34Ef56Gh78").doesNotContain("sk-x9")
                .startsWith("Incorrect API key provided: ").contains("[redacted]");
    }

    @Test
    void should_keep_ordinary_words_and_short_identifiers() {
        assertThat(UpstreamErrors.shorten("The model llama-3.1-8b-instruct does not exist; max_tokens must be <= 4096"))
                .isEqualTo("The model llama-3.1-8b-instruct does not exist; max_tokens must be <= 4096");
    }
}
