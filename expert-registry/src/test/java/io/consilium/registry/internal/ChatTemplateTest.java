package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Chat templates in the styles Hugging Face models ship, rendered by Jinjava. */
class ChatTemplateTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode CONVERSATION = JSON.readTree("""
            [{"role": "system", "content": "Be brief."},
             {"role": "user", "content": "hi"},
             {"role": "assistant", "content": "hello"},
             {"role": "user", "content": [{"type": "text", "text": "2+2?"}, {"type": "image_url", "image_url": {}}]}]
            """);

    @Test
    void should_render_a_chatml_template_with_whitespace_control_and_the_generation_prompt() {
        // given
        ChatTemplate chatml = new ChatTemplate("""
                {%- for message in messages %}
                    {{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}
                {%- endfor %}
                {%- if add_generation_prompt %}
                    {{- '<|im_start|>assistant\\n' }}
                {%- endif %}
                """, null, null);

        // when
        String prompt = chatml.render(CONVERSATION);

        // then
        assertThat(prompt).isEqualTo("""
                <|im_start|>system
                Be brief.<|im_end|>
                <|im_start|>user
                hi<|im_end|>
                <|im_start|>assistant
                hello<|im_end|>
                <|im_start|>user
                2+2?<|im_end|>
                <|im_start|>assistant
                """);
    }

    @Test
    void should_give_the_template_its_special_tokens_and_python_style_helpers() {
        // given
        ChatTemplate llama = new ChatTemplate("{{ bos_token }}{% set ns = namespace(n=0) %}"
                + "{% for message in messages %}{% set ns.n = ns.n + 1 %}"
                + "{{ '[' + message.role + ']' + message['content'] | trim }}{% if loop.last %}{{ eos_token }}{% endif %}"
                + "{% endfor %}{{ ns.n }}", "<s>", "</s>");

        // when
        String prompt = llama.render(JSON.readTree("[{\"role\": \"user\", \"content\": \"  spaced  \"}]"));

        // then
        assertThat(prompt).isEqualTo("<s>[user]spaced</s>1");
    }

    @Test
    void should_refuse_with_the_template_message_when_the_template_raises_an_exception() {
        // given
        ChatTemplate alternating = new ChatTemplate("{% for message in messages %}"
                + "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
                + "{{ raise_exception('Conversation roles must alternate user/assistant') }}{% endif %}"
                + "{{ message['content'] }}{% endfor %}", "<s>", "</s>");

        // when / then
        assertThatThrownBy(() -> alternating.render(CONVERSATION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the model's chat template refused the conversation: "
                        + "Conversation roles must alternate user/assistant");
    }
}
