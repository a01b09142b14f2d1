package io.consilium.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.ChatCompletion;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ToolCallTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void should_read_the_function_calls_of_a_tool_calls_array_when_arguments_come_in_any_shape() {
        // given
        JsonNode array = JSON.readTree("""
                [{"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\": \\"Paris\\"}"}},
                 {"id": "call_2", "type": "function", "function": {"name": "time", "arguments": {"zone": "CET"}}},
                 {"id": "call_3", "function": {"name": "ping"}},
                 {"id": "call_4", "type": "custom", "custom": {"name": "grammar", "input": "x"}}]
                """);

        // when
        List<ToolCall> calls = ToolCall.read(array);

        // then
        assertThat(calls).containsExactly(
                new ToolCall("call_1", "weather", "{\"city\": \"Paris\"}"),
                new ToolCall("call_2", "time", "{\"zone\":\"CET\"}"),
                new ToolCall("call_3", "ping", "{}"));
        assertThat(ToolCall.read(JSON.readTree("null"))).isEmpty();
        assertThat(ToolCall.read(JSON.missingNode())).isEmpty();
    }

    @Test
    void should_write_calls_back_to_the_array_they_are_read_from() {
        // given
        List<ToolCall> calls = List.of(new ToolCall("a", "weather", "{\"city\":\"Paris\"}"), new ToolCall("b", "time", "{}"));

        // when
        JsonNode written = ToolCall.write(calls);

        // then
        assertThat(written.path(0).path("type").asString()).isEqualTo("function");
        assertThat(written.path(0).path("function").path("arguments").isString()).isTrue();
        assertThat(ToolCall.read(written)).isEqualTo(calls);
    }

    @Test
    void should_give_equal_canonical_arguments_when_only_key_order_spacing_and_number_form_differ() {
        // given
        ToolCall terse = new ToolCall("1", "book", "{\"seats\":2,\"to\":{\"city\":\"Oslo\",\"day\":1},\"price\":0.5}");
        ToolCall loose = new ToolCall("2", "book",
                "{ \"to\": { \"day\": 1.0, \"city\": \"Oslo\" },\n \"price\": 0.50, \"seats\": 2 }");
        ToolCall other = new ToolCall("3", "book", "{\"seats\":3,\"to\":{\"city\":\"Oslo\",\"day\":1},\"price\":0.5}");

        // then
        assertThat(terse.canonicalArguments()).isEqualTo("{\"price\":0.5,\"seats\":2,\"to\":{\"city\":\"Oslo\",\"day\":1}}");
        assertThat(loose.canonicalArguments()).isEqualTo(terse.canonicalArguments());
        assertThat(other.canonicalArguments()).isNotEqualTo(terse.canonicalArguments());
    }

    @Test
    void should_keep_arguments_as_written_when_they_are_not_json() {
        // given
        ToolCall broken = new ToolCall("1", "book", "{\"seats\": 2");

        // then
        assertThat(broken.canonicalArguments()).isEqualTo("{\"seats\": 2");
    }

    @Test
    void should_read_a_candidate_with_its_tool_calls_and_no_text_from_a_completion() {
        // given
        ObjectNode body = (ObjectNode) JSON.readTree("""
                {"choices": [{"message": {"role": "assistant", "content": null, "tool_calls": [
                  {"id": "c", "type": "function", "function": {"name": "weather", "arguments": "{}"}}]}}]}
                """);

        // when
        CandidateAnswer answer = CandidateAnswer.of("a", new ChatCompletion(body), 0.7);

        // then
        assertThat(answer.text()).isEmpty();
        assertThat(answer.hasToolCalls()).isTrue();
        assertThat(answer.toolCalls()).containsExactly(new ToolCall("c", "weather", "{}"));
        assertThat(new CandidateAnswer("a", "text", 1).toolCalls()).isEmpty();
    }
}
