package io.consilium.profiler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ConversationTextTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode messages(String json) {
        return JSON.readTree(json);
    }

    @Test
    void should_read_a_single_user_turn_as_it_is() {
        assertThat(ConversationText.of(messages("[{\"role\": \"user\", \"content\": \"What is a tort?\"}]")))
                .isEqualTo("What is a tort?");
    }

    @Test
    void should_leave_out_the_system_prompt_and_the_assistant_and_keep_the_turn_before_for_context() {
        // given
        JsonNode conversation = messages("""
                [{"role": "system", "content": "You are a cheerful travel assistant."},
                 {"role": "user", "content": "A block slides down a 30 degree incline, what is its acceleration?"},
                 {"role": "assistant", "content": "About 4.9 m/s^2 without friction."},
                 {"role": "user", "content": "and with friction 0.2?"}]""");

        // when
        String text = ConversationText.of(conversation);

        // then
        assertThat(text).isEqualTo("A block slides down a 30 degree incline, what is its acceleration?\n\n"
                + "and with friction 0.2?");
    }

    @Test
    void should_cut_a_long_earlier_turn_and_join_text_parts() {
        // given
        String long_ = "x".repeat(1000);
        JsonNode conversation = messages("[{\"role\": \"user\", \"content\": \"" + long_ + "\"},"
                + "{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"first\"},"
                + "{\"type\": \"image_url\", \"image_url\": {\"url\": \"data:,\"}}, {\"type\": \"text\", \"text\": \"second\"}]}]");

        // when
        String text = ConversationText.of(conversation);

        // then
        assertThat(text).isEqualTo("x".repeat(ConversationText.EARLIER_TURN_CHARS) + "\n\nfirst second");
    }

    @Test
    void should_fall_back_to_other_turns_without_a_user_turn() {
        assertThat(ConversationText.of(messages("[{\"role\": \"system\", \"content\": \"Summarise the news.\"}]")))
                .isEqualTo("Summarise the news.");
        assertThat(ConversationText.of(messages("[]"))).isEmpty();
    }
}
