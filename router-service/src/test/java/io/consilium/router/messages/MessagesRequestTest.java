package io.consilium.router.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.router.api.ApiException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class MessagesRequestTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final MessagesRequest requests = new MessagesRequest(JSON);

    private ObjectNode translate(String body) {
        return requests.toChat(JSON.readTree(body));
    }

    @Test
    void should_put_tool_results_before_the_rest_of_the_user_turn_and_mark_errors() {
        // when
        ObjectNode chat = translate("""
                {"model": "m", "max_tokens": 10, "messages": [
                  {"role": "user", "content": "weather?"},
                  {"role": "assistant", "content": [{"type": "text", "text": "Looking."},
                    {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Oslo"}}]},
                  {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "is_error": true,
                    "content": [{"type": "text", "text": "timeout"}]}, {"type": "text", "text": "try again"}]}]}
                """);

        // then
        JsonNode messages = chat.path("messages");
        assertThat(messages.size()).isEqualTo(4);
        JsonNode call = messages.get(1).path("tool_calls").get(0);
        assertThat(messages.get(1).path("content").asString()).isEqualTo("Looking.");
        assertThat(call.path("function").path("name").asString()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.path("function").path("arguments").asString()).path("city").asString()).isEqualTo("Oslo");
        assertThat(messages.get(2).path("role").asString()).isEqualTo("tool");
        assertThat(messages.get(2).path("tool_call_id").asString()).isEqualTo("toolu_1");
        assertThat(messages.get(2).path("content").asString()).isEqualTo("Error: timeout");
        assertThat(messages.get(3).path("content").asString()).isEqualTo("try again");
    }

    @Test
    void should_translate_tools_tool_choice_metadata_and_url_images() {
        // when
        ObjectNode chat = translate("""
                {"model": "m", "max_tokens": 10, "metadata": {"user_id": "u-7"},
                 "tools": [{"name": "t", "description": "d", "input_schema": {"type": "object"}}],
                 "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
                 "messages": [{"role": "user", "content": [
                   {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}},
                   {"type": "text", "text": "what is it?", "cache_control": {"type": "ephemeral"}}]}]}
                """);

        // then
        assertThat(chat.path("tools").get(0).path("function").path("parameters").path("type").asString()).isEqualTo("object");
        assertThat(chat.path("tool_choice").asString()).isEqualTo("required");
        assertThat(chat.path("parallel_tool_calls").asBoolean(true)).isFalse();
        assertThat(chat.path("user").asString()).isEqualTo("u-7");
        JsonNode parts = chat.path("messages").get(0).path("content");
        assertThat(parts.get(0).path("image_url").path("url").asString()).isEqualTo("https://example.com/a.png");
        assertThat(parts.get(1).path("text").asString()).isEqualTo("what is it?");
        assertThat(chat.has("stream")).isFalse();
    }

    @Test
    void should_ask_a_stream_for_its_usage() {
        // when
        ObjectNode chat = translate("""
                {"model": "m", "max_tokens": 10, "stream": true, "messages": [{"role": "user", "content": "hi"}]}""");

        // then
        assertThat(chat.path("stream").asBoolean()).isTrue();
        assertThat(chat.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void should_refuse_what_it_cannot_translate_naming_the_field() {
        assertRefused("""
                {"model": "m", "max_tokens": 10, "service_tier": "auto", "messages": [{"role": "user", "content": "hi"}]}""",
                "service_tier");
        assertRefused("""
                {"model": "m", "max_tokens": 10, "something": 1, "messages": [{"role": "user", "content": "hi"}]}""",
                "something");
        assertRefused("""
                {"model": "m", "max_tokens": 0, "messages": [{"role": "user", "content": "hi"}]}""", "max_tokens");
        assertRefused("""
                {"model": "m", "max_tokens": 10, "temperature": 1.5, "messages": [{"role": "user", "content": "hi"}]}""",
                "temperature");
        assertRefused("""
                {"model": "m", "max_tokens": 10, "messages": [{"role": "system", "content": "hi"}]}""", "messages[0].role");
        assertRefused("""
                {"model": "m", "max_tokens": 10, "tools": [{"type": "web_search_20250305", "name": "web_search"}],
                 "messages": [{"role": "user", "content": "hi"}]}""", "tools[0].type");
        assertRefused("""
                {"model": "m", "max_tokens": 10, "messages": [{"role": "assistant", "content": [
                  {"type": "thinking", "thinking": "hmm", "signature": "s"}]}]}""", "messages[0].content[0].type");
        assertRefused("""
                {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": [{"type": "tool_result",
                  "tool_use_id": "x", "content": [{"type": "image", "source": {}}]}]}]}""", "messages[0].content[0].content[0].type");
        assertRefused("""
                {"model": "m", "max_tokens": 10, "tool_choice": {"type": "auto"}, "messages": [{"role": "user", "content": "hi"}]}""",
                "tool_choice");
        assertRefused("""
                {"model": "m", "max_tokens": 10, "metadata": {"session": "s"}, "messages": [{"role": "user", "content": "hi"}]}""",
                "metadata.session");
    }

    private void assertRefused(String body, String param) {
        assertThatThrownBy(() -> translate(body)).isInstanceOfSatisfying(ApiException.class, refused -> {
            assertThat(refused.status().value()).isEqualTo(400);
            assertThat(refused.toError().error().param()).isEqualTo(param);
            assertThat(refused.getMessage()).contains(param);
        });
    }
}
