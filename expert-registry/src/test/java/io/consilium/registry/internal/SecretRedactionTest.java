package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretRedactionTest {

    private static Expert expert(String id, String key) {
        return Expert.builder(id).provider(Provider.OPENAI).baseUrl("http://vllm:8000/v1").model("m").apiKey(key).build();
    }

    private static SecretRedaction knowing(String key) {
        return SecretRedaction.of(expert("e", key));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String everyBytePercentEncoded(String text, boolean upperCase) {
        StringBuilder encoded = new StringBuilder();
        HexFormat hex = upperCase ? HexFormat.of().withUpperCase() : HexFormat.of();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            encoded.append('%').append(hex.toHexDigits(b));
        }
        return encoded.toString();
    }

    @Test
    void should_redact_a_short_key_as_it_is_and_in_any_letter_case() {
        // when
        String redacted = knowing("hunter2").redact("Incorrect API key provided: hunter2 (HUNTER2, Bearer hunter2)");

        // then
        assertThat(redacted).isEqualTo("Incorrect API key provided: [redacted] ([redacted], Bearer [redacted])");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hunter2", "sk-proj/Ab+12=cd?", "pässwört key", "k3y&x=1#frag"})
    void should_redact_every_percent_encoding_of_a_key(String key) {
        // given
        SecretRedaction redaction = knowing(key);

        // when / then
        for (String form : new String[] {URLEncoder.encode(key, StandardCharsets.UTF_8),
                URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20"),
                everyBytePercentEncoded(key, true), everyBytePercentEncoded(key, false)}) {
            assertThat(redaction.redact("key=" + form + "&next=1")).as(form).isEqualTo("key=[redacted]&next=1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hunter2", "none", "sk-proj/Ab+12=cd?", "pässwört key", "a-key-of-thirty-two-characters!"})
    void should_redact_the_base64_of_a_key_in_both_alphabets_padded_or_not(String key) {
        // given
        SecretRedaction redaction = knowing(key);
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);

        // when / then
        for (String form : new String[] {Base64.getEncoder().encodeToString(bytes),
                Base64.getEncoder().withoutPadding().encodeToString(bytes), Base64.getUrlEncoder().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)}) {
            assertThat(redaction.redact("token " + form + " refused")).as(form).isEqualTo("token [redacted] refused");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "u:", "us:", "user:", "api-user:", "a-longer-user:"})
    void should_redact_a_key_inside_a_longer_base64_value_at_any_byte_offset(String prefix) {
        // given: a basic-auth pair, where the key does not start on a 3-byte boundary
        String key = "hunter2";
        SecretRedaction redaction = knowing(key);

        // when
        String standard = redaction.redact("Basic " + base64(prefix + key + "@host"));
        String urlSafe = redaction.redact("token=" + base64Url(prefix + key + "@host"));

        // then: what is left around the redaction cannot be decoded back to the key
        assertThat(standard).contains("[redacted]");
        assertThat(urlSafe).contains("[redacted]");
        for (String form : new String[] {base64(key), base64Url(key), base64(prefix + key), base64Url(prefix + key)}) {
            assertThat(standard).doesNotContain(form.replace("=", ""));
            assertThat(urlSafe).doesNotContain(form.replace("=", ""));
        }
    }

    @Test
    void should_redact_a_long_key_whole_when_a_shorter_key_is_part_of_it() {
        // given
        SecretRedaction redaction = new SecretRedaction();
        redaction.remember(expert("short", "abcd"));
        redaction.remember(expert("long", "abcd-efgh-ijkl"));

        // when
        String redacted = redaction.redact("keys abcd-efgh-ijkl and abcd");

        // then
        assertThat(redacted).isEqualTo("keys [redacted] and [redacted]");
    }

    @Test
    void should_redact_every_known_expert_key_and_keep_ordinary_words() {
        // given
        SecretRedaction redaction = new SecretRedaction();
        redaction.remember(expert("a", "hunter2"));
        redaction.remember(expert("b", "sk-second-0123456789"));
        String ordinary = "The model llama-3.1-8b-instruct does not exist; max_tokens must be <= 4096. Hunt for it.";

        // when / then
        assertThat(redaction.redact("first hunter2, second sk-second-0123456789")).isEqualTo(
                "first [redacted], second [redacted]");
        assertThat(redaction.redact(ordinary)).isEqualTo(ordinary);
    }

    @Test
    void should_keep_redacting_an_old_key_after_a_change_and_none_after_removal() {
        // given
        SecretRedaction redaction = new SecretRedaction();
        redaction.remember(expert("rotated", "old-key-1"));
        redaction.remember(expert("rotated", "new-key-2"));

        // when
        String whileKnown = redaction.redact("old-key-1 new-key-2");
        redaction.forget("rotated");
        String afterRemoval = redaction.redact("old-key-1 new-key-2");

        // then
        assertThat(whileKnown).isEqualTo("[redacted] [redacted]");
        assertThat(afterRemoval).isEqualTo("old-key-1 new-key-2");
    }

    @Test
    void should_treat_regex_characters_in_a_key_as_plain_text() {
        // given
        SecretRedaction redaction = knowing("a.b*c$1\\E(");

        // when / then
        assertThat(redaction.redact("key a.b*c$1\\E( and aXbbbc")).isEqualTo("key [redacted] and aXbbbc");
    }

    @Test
    void should_know_no_key_of_an_expert_without_one() {
        // given
        SecretRedaction redaction = SecretRedaction.of(Expert.builder("mock").provider(Provider.MOCK).build());

        // when / then
        assertThat(redaction.redact("nothing to hide")).isEqualTo("nothing to hide");
    }
}
