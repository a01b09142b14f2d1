package io.consilium.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.ChatRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The estimate of a request's tokens that decides whether an expert's context window holds it. */
class TokenEstimateTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ChatRequest request(String json) {
        return new ChatRequest((ObjectNode) JSON.readTree(json));
    }

    @Test
    void should_count_a_quarter_token_per_character_of_every_messages_text_rounded_up() {
        // given: 8 + 5 characters of text in two messages
        ChatRequest request = request("""
                {"messages": [{"role": "system", "content": "Be brief"}, {"role": "user", "content": "hello"}]}""");

        // when
        long tokens = TokenEstimate.of(request);

        // then
        assertThat(tokens).isEqualTo(4);
    }

    @Test
    void should_count_text_parts_but_not_images_when_the_content_is_an_array() {
        // given: 12 characters of text beside an image
        ChatRequest request = request("""
                {"messages": [{"role": "user", "content": [{"type": "text", "text": "What is it? "},
                 {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA"}}]}]}""");

        // when
        long tokens = TokenEstimate.of(request);

        // then
        assertThat(tokens).isEqualTo(3);
    }

    @Test
    void should_add_the_larger_of_max_tokens_and_max_completion_tokens_when_given() {
        // given
        String messages = "\"messages\": [{\"role\": \"user\", \"content\": \"abcd\"}]";

        // when
        long none = TokenEstimate.of(request("{" + messages + "}"));
        long maxTokens = TokenEstimate.of(request("{" + messages + ", \"max_tokens\": 100}"));
        long both = TokenEstimate.of(request("{" + messages + ", \"max_tokens\": 100, \"max_completion_tokens\": 250}"));

        // then
        assertThat(none).isEqualTo(1);
        assertThat(maxTokens).isEqualTo(101);
        assertThat(both).isEqualTo(251);
    }
}
