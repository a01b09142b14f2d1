package io.consilium.router.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.router.api.ApiException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class ChatTranslationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ObjectNode translate(String body) {
        ResponseRequest request = ResponseRequest.parse(JSON.readTree(body));
        return ChatTranslation.chatBody(request, request.input());
    }

    @Test
    void should_turn_items_into_messages_with_calls_on_one_assistant_turn_and_developer_as_system() {
        // given
        String body = """
                {"model": "m", "instructions": "Be exact.", "input": [
                  {"role": "developer", "content": "Use metric units."},
                  {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Weather in Lima and Quito?"}]},
                  {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": "{\\"city\\":\\"Lima\\"}"},
                  {"type": "function_call", "call_id": "c2", "name": "get_weather", "arguments": "{\\"city\\":\\"Quito\\"}"},
                  {"type": "function_call_output", "call_id": "c1", "output": "21C"},
                  {"type": "function_call_output", "call_id": "c2", "output": [{"type": "input_text", "text": "14C"}]}
                ]}""";

        // when
        ObjectNode chat = translate(body);

        // then
        assertThat(chat.path("messages").toString()).isEqualTo("[{\"role\":\"system\",\"content\":\"Be exact.\"},"
                + "{\"role\":\"system\",\"content\":\"Use metric units.\"},"
                + "{\"role\":\"user\",\"content\":\"Weather in Lima and Quito?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
                + "{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Lima\\\"}\"}},"
                + "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Quito\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"21C\"},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c2\",\"content\":\"14C\"}]");
    }

    @Test
    void should_nest_flat_function_tools_and_map_tool_choice_text_format_and_limits() {
        // given
        String body = """
                {"model": "m", "input": "hi", "stream": true, "max_output_tokens": 64, "top_p": 0.5,
                 "tools": [{"type": "function", "name": "f", "description": "d", "strict": true,
                            "parameters": {"type": "object", "properties": {}}}],
                 "tool_choice": {"type": "function", "name": "f"},
                 "text": {"format": {"type": "json_schema", "name": "s", "strict": true, "schema": {"type": "object"}}},
                 "metadata": {"k": "v"}, "store": false}""";

        // when
        ObjectNode chat = translate(body);

        // then
        assertThat(chat.path("tools").toString()).isEqualTo("[{\"type\":\"function\",\"function\":{\"name\":\"f\","
                + "\"description\":\"d\",\"parameters\":{\"type\":\"object\",\"properties\":{}},\"strict\":true}}]");
        assertThat(chat.path("tool_choice").toString()).isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}");
        assertThat(chat.path("response_format").toString()).isEqualTo("{\"type\":\"json_schema\",\"json_schema\":"
                + "{\"name\":\"s\",\"schema\":{\"type\":\"object\"},\"strict\":true}}");
        assertThat(chat.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(chat.path("top_p").asDouble()).isEqualTo(0.5);
        assertThat(chat.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(chat.has("metadata")).isFalse();
        assertThat(chat.has("store")).isFalse();
    }

    @Test
    void should_keep_images_of_a_user_message_as_image_url_parts() {
        // when
        ObjectNode chat = translate("""
                {"model": "m", "input": [{"role": "user", "content": [{"type": "input_text", "text": "What is this?"},
                  {"type": "input_image", "image_url": "https://example.com/a.png", "detail": "low"}]}]}""");

        // then
        assertThat(chat.path("messages").path(0).path("content").toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\",\"detail\":\"low\"}}]");
    }

    @Test
    void should_leave_out_reasoning_kept_from_a_forwarded_response_and_refuse_items_chat_cannot_carry() {
        // given: a conversation kept from an expert that serves the Responses API
        ResponseRequest request = ResponseRequest.parse(JSON.readTree("{\"model\": \"m\", \"input\": \"And then?\"}"));
        String kept = """
                [{"type": "message", "role": "user", "content": "Think."},
                 {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "sealed"},
                 {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Done."}]},
                 {"type": "message", "role": "user", "content": "And then?"}]""";
        ArrayNode conversation = (ArrayNode) JSON.readTree(kept);
        ArrayNode unknown = conversation.deepCopy();
        ((ObjectNode) unknown.get(1)).put("type", "web_search_call");

        // when
        ObjectNode chat = ChatTranslation.chatBody(request, conversation);

        // then
        assertThat(chat.path("messages").valueStream().map(message -> message.path("role").asString()).toList())
                .containsExactly("user", "assistant", "user");
        assertThatThrownBy(() -> ChatTranslation.chatBody(request, unknown))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(400))
                .hasMessageContaining("web_search_call").hasMessageContaining("Responses API");
    }
}
