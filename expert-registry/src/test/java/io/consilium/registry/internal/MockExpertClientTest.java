package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRejectedRequestException;
import io.consilium.registry.ExpertServerException;
import io.consilium.registry.Limits;
import io.consilium.registry.MockBehaviour;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.ExpertClientContract;
import io.consilium.registry.testing.FakeUpstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The mock client: the {@link ExpertClientContract} and what is particular to it. */
class MockExpertClientTest extends ExpertClientContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static MockExpertClient mock(double failureRate) {
        return new MockExpertClient(expert("mock-math", failureRate).build(), JSON);
    }

    private static Expert.Builder expert(String id, double failureRate) {
        return Expert.builder(id).provider(Provider.MOCK)
                .skills(List.of("math.algebra"))
                .mock(new MockBehaviour(Duration.ZERO, failureRate));
    }

    @Override
    protected Expert.Builder contractExpert(String id) {
        return expert(id, 0);
    }

    /** A mock really waits its latency, so a latency longer than its timeout stalls it. */
    @Override
    protected Expert.Builder stalled(Expert.Builder expert) {
        return expert.mock(new MockBehaviour(Duration.ofSeconds(30), 0))
                .limits(new Limits(4, SHORT_TIMEOUT, Limits.DEFAULTS.contextTokens()));
    }

    /** A mock calls nobody: it has no HTTP statuses, and closing its stream has no connection to hang up. */
    @Override
    protected Optional<FakeUpstream> httpUpstream() {
        return Optional.empty();
    }

    private static ChatRequest ask(String question, boolean stream) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "mock-math");
        body.put("stream", stream);
        body.putArray("messages").addObject().put("role", "user").put("content", question);
        body.putObject("stream_options").put("include_usage", true);
        return new ChatRequest(body);
    }

    @Test
    void should_answer_deterministically_and_say_it_is_a_mock() {
        // when
        ChatCompletion first = mock(0).chat(ask("What is 2+2?", false));
        ChatCompletion second = mock(0).chat(ask("What is 2+2?", false));

        // then
        assertThat(first.text()).isEqualTo(second.text())
                .startsWith("[mock mock-math]")
                .contains("no language model was called")
                .contains("What is 2+2?");
        assertThat(first.usage().completionTokens()).isPositive();
    }

    @Test
    void should_stream_the_same_text_word_by_word_with_usage_last() {
        // given
        String expected = mock(0).chat(ask("Explain limits", false)).text();
        StringBuilder streamed = new StringBuilder();
        Set<String> ids = new HashSet<>();
        int chunks = 0;
        ObjectNode last = null;

        // when
        try (ChatStream stream = mock(0).stream(ask("Explain limits", true))) {
            for (Optional<ObjectNode> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
                chunks++;
                last = chunk.get();
                ids.add(last.path("id").asString());
                streamed.append(last.path("choices").path(0).path("delta").path("content").asString(""));
            }
        }

        // then
        assertThat(streamed.toString()).isEqualTo(expected);
        assertThat(chunks).isGreaterThan(5);
        assertThat(ids).as("every chunk of one answer carries the same id").hasSize(1);
        assertThat(last.path("usage").path("completion_tokens").asLong()).isPositive();
    }

    @Test
    void should_fail_as_an_upstream_500_when_configured_to_always_fail() {
        assertThatThrownBy(() -> mock(1).chat(ask("x", false)))
                .isInstanceOfSatisfying(ExpertServerException.class, e -> assertThat(e.status()).isEqualTo(500));
    }

    @Test
    void should_answer_a_json_object_that_says_it_is_a_mock_when_asked_for_json_object() {
        // given
        ChatRequest request = ask("List two primes", false, body -> body.putObject("response_format").put("type", "json_object"));

        // when
        ChatCompletion answer = mock(0).chat(request);

        // then
        JsonNode content = JSON.readTree(answer.text());
        assertThat(content.isObject()).isTrue();
        assertThat(content.path("mock").asString()).isEqualTo("mock-math");
        assertThat(content.path("answer").asString()).contains("List two primes");
        assertThat(answer.body().path("choices").path(0).path("finish_reason").asString()).isEqualTo("stop");
    }

    @Test
    void should_answer_json_with_every_required_property_of_its_declared_type_when_given_a_json_schema() {
        // given
        ChatRequest request = ask("Solve x+1=2", false, body -> body.set("response_format", JSON.readTree("""
                {"type": "json_schema", "json_schema": {"name": "solution", "strict": true, "schema": {
                  "type": "object", "additionalProperties": false,
                  "required": ["answer", "steps", "confidence", "exact", "unit", "note", "detail", "kind", "ref"],
                  "properties": {
                    "answer": {"type": "integer", "minimum": 1},
                    "steps": {"type": "array", "items": {"type": "string"}},
                    "confidence": {"type": "number"},
                    "exact": {"type": "boolean"},
                    "unit": {"type": ["string", "null"]},
                    "note": {"type": "null"},
                    "detail": {"type": "object", "additionalProperties": false, "required": ["checked"],
                               "properties": {"checked": {"type": "boolean"}, "by": {"type": "string"}}},
                    "kind": {"type": "string", "enum": ["linear", "quadratic"]},
                    "ref": {"$ref": "#/$defs/source"}
                  },
                  "$defs": {"source": {"type": "object", "required": ["page"],
                                       "properties": {"page": {"type": "integer"}}}}
                }}}""")));

        // when
        JsonNode content = JSON.readTree(mock(0).chat(request).text());

        // then
        assertThat(content.propertyNames()).containsExactlyInAnyOrder(
                "answer", "steps", "confidence", "exact", "unit", "note", "detail", "kind", "ref");
        assertThat(content.path("answer").isIntegralNumber()).isTrue();
        assertThat(content.path("answer").asInt()).isEqualTo(1);
        assertThat(content.path("steps").isArray()).isTrue();
        assertThat(content.path("steps").path(0).asString()).contains("mock mock-math");
        assertThat(content.path("confidence").isNumber()).isTrue();
        assertThat(content.path("exact").isBoolean()).isTrue();
        assertThat(content.path("unit").isString()).isTrue();
        assertThat(content.path("note").isNull()).isTrue();
        assertThat(content.path("detail").propertyNames()).containsExactlyInAnyOrder("checked", "by");
        assertThat(content.path("detail").path("checked").isBoolean()).isTrue();
        assertThat(content.path("kind").asString()).isEqualTo("linear");
        assertThat(content.path("ref").path("page").isIntegralNumber()).isTrue();
    }

    @Test
    void should_call_the_named_tool_with_arguments_built_from_its_parameters_when_tool_choice_names_it() {
        // given
        ChatRequest request = ask("What is the weather in Oslo?", false, body -> {
            offerTools(body);
            body.putObject("tool_choice").put("type", "function").putObject("function").put("name", "get_weather");
        });

        // when
        ChatCompletion answer = mock(0).chat(request);

        // then
        JsonNode choice = answer.body().path("choices").path(0);
        assertThat(choice.path("finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(choice.path("message").path("content").isNull()).isTrue();
        JsonNode calls = choice.path("message").path("tool_calls");
        assertThat(calls).hasSize(1);
        assertThat(calls.path(0).path("id").asString()).startsWith("call_");
        assertThat(calls.path(0).path("type").asString()).isEqualTo("function");
        assertThat(calls.path(0).path("function").path("name").asString()).isEqualTo("get_weather");
        JsonNode arguments = JSON.readTree(calls.path(0).path("function").path("arguments").asString());
        assertThat(arguments.path("city").isString()).isTrue();
        assertThat(arguments.path("unit").asString()).isEqualTo("celsius");
        assertThat(answer.usage().completionTokens()).isPositive();
    }

    @Test
    void should_call_the_first_tool_when_tool_choice_is_auto_or_absent() {
        // given
        ChatRequest request = ask("What time is it?", false, MockExpertClientTest::offerTools);

        // when
        ChatCompletion answer = mock(0).chat(request);

        // then
        JsonNode call = answer.body().path("choices").path(0).path("message").path("tool_calls").path(0);
        assertThat(call.path("function").path("name").asString()).isEqualTo("get_time");
        assertThat(JSON.readTree(call.path("function").path("arguments").asString()).isObject()).isTrue();
    }

    @Test
    void should_answer_in_text_when_tool_choice_is_none() {
        // given
        ChatRequest request = ask("What time is it?", false, body -> {
            offerTools(body);
            body.put("tool_choice", "none");
        });

        // when
        ChatCompletion answer = mock(0).chat(request);

        // then
        assertThat(answer.body().path("choices").path(0).path("message").has("tool_calls")).isFalse();
        assertThat(answer.text()).startsWith("[mock mock-math]");
    }

    @Test
    void should_answer_the_tool_result_in_text_when_the_last_message_is_a_tool_result() {
        // given
        ChatRequest request = ask("What is the weather in Oslo?", false, body -> {
            offerTools(body);
            ArrayNode messages = (ArrayNode) body.get("messages");
            ObjectNode assistant = messages.addObject().put("role", "assistant");
            assistant.putNull("content");
            assistant.putArray("tool_calls").addObject().put("id", "call_1").put("type", "function")
                    .putObject("function").put("name", "get_weather").put("arguments", "{\"city\":\"Oslo\"}");
            messages.addObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "4 degrees, rain");
        });

        // when
        ChatCompletion answer = mock(0).chat(request);

        // then
        JsonNode choice = answer.body().path("choices").path(0);
        assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
        assertThat(choice.path("message").has("tool_calls")).isFalse();
        assertThat(answer.text()).startsWith("[mock mock-math]").contains("4 degrees, rain");
    }

    @Test
    void should_give_n_labelled_choices_when_n_is_above_one() {
        // given
        ChatRequest request = ask("What is 2+2?", false, body -> body.put("n", 3));

        // when
        ChatCompletion answer = mock(0).chat(request);

        // then
        JsonNode choices = answer.body().path("choices");
        assertThat(choices).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(choices.path(i).path("index").asInt()).isEqualTo(i);
            assertThat(choices.path(i).path("message").path("content").asString())
                    .startsWith("[mock mock-math, choice " + (i + 1) + " of 3]");
        }
        long oneChoice = mock(0).chat(ask("What is 2+2?", false)).usage().completionTokens();
        assertThat(answer.usage().completionTokens()).as("every choice is counted").isGreaterThan(2 * oneChoice);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "129", "1.5", "\"2\""})
    void should_reject_the_request_naming_n_when_n_is_not_between_1_and_128(String n) {
        // given
        ChatRequest request = ask("What is 2+2?", false, body -> body.set("n", JSON.readTree(n)));

        // when / then
        assertThatThrownBy(() -> mock(0).chat(request))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.upstreamMessage()).startsWith("'n' must be an integer between 1 and 128");
                });
        assertThatThrownBy(() -> mock(0).stream(ask("What is 2+2?", true, body -> body.set("n", JSON.readTree(n)))))
                .isInstanceOf(ExpertRejectedRequestException.class);
    }

    @Test
    void should_count_about_a_quarter_of_the_characters_as_tokens() {
        // given
        String question = "x".repeat(400);

        // when
        ChatCompletion answer = mock(0).chat(ask(question, false));

        // then
        assertThat(answer.usage().promptTokens()).isBetween(100L, 110L);
        assertThat(answer.usage().completionTokens()).isBetween(answer.text().length() / 4L, answer.text().length() / 4L + 1);
    }

    @Test
    void should_stream_a_tool_call_as_deltas_whose_arguments_add_up_to_json() {
        // given
        ChatRequest request = ask("What is the weather in Oslo?", true, body -> {
            offerTools(body);
            body.put("tool_choice", "required");
        });

        // when
        List<ObjectNode> chunks = drain(mock(0).stream(request));

        // then
        JsonNode first = chunks.getFirst().path("choices").path(0).path("delta").path("tool_calls").path(0);
        assertThat(first.path("index").asInt()).isZero();
        assertThat(first.path("id").asString()).startsWith("call_");
        assertThat(first.path("type").asString()).isEqualTo("function");
        assertThat(first.path("function").path("name").asString()).isEqualTo("get_time");
        StringBuilder arguments = new StringBuilder();
        for (ObjectNode chunk : chunks) {
            arguments.append(chunk.path("choices").path(0).path("delta").path("tool_calls").path(0)
                    .path("function").path("arguments").asString(""));
        }
        assertThat(chunks.size()).as("the arguments come in pieces").isGreaterThan(3);
        assertThat(JSON.readTree(arguments.toString()).isObject()).isTrue();
        assertThat(finishReasons(chunks)).containsExactly("tool_calls");
        assertThat(chunks.getLast().path("choices")).isEmpty();
        assertThat(chunks.getLast().path("usage").path("total_tokens").asLong()).isPositive();
    }

    @Test
    void should_stream_json_content_in_pieces_that_parse_when_joined() {
        // given
        ChatRequest request = ask("List two primes", true, body -> body.putObject("response_format").put("type", "json_object"));

        // when
        List<ObjectNode> chunks = drain(mock(0).stream(request));

        // then
        StringBuilder content = new StringBuilder();
        chunks.forEach(chunk -> content.append(chunk.path("choices").path(0).path("delta").path("content").asString("")));
        assertThat(chunks.size()).isGreaterThan(5);
        assertThat(JSON.readTree(content.toString()).path("mock").asString()).isEqualTo("mock-math");
        assertThat(finishReasons(chunks)).containsExactly("stop");
    }

    @Test
    void should_stream_the_choices_interleaved_and_finish_them_after_all_have_started_when_n_is_above_one() {
        // given
        ChatRequest request = ask("What is 2+2?", true, body -> body.put("n", 2));

        // when
        List<ObjectNode> chunks = drain(mock(0).stream(request));

        // then
        StringBuilder[] texts = {new StringBuilder(), new StringBuilder()};
        List<Integer> order = new ArrayList<>();
        for (ObjectNode chunk : chunks.subList(0, chunks.size() - 1)) {
            JsonNode choice = chunk.path("choices").path(0);
            order.add(choice.path("index").asInt());
            texts[choice.path("index").asInt()].append(choice.path("delta").path("content").asString(""));
        }
        assertThat(order.subList(0, 4)).as("interleaved, as OpenAI streams choices").containsExactly(0, 1, 0, 1);
        assertThat(texts[0].toString()).startsWith("[mock mock-math, choice 1 of 2]");
        assertThat(texts[1].toString()).startsWith("[mock mock-math, choice 2 of 2]");
        assertThat(finishReasons(chunks)).containsExactly("stop", "stop");
        assertThat(chunks.get(chunks.size() - 3).path("choices").path(0).path("finish_reason").asString())
                .as("no choice finishes before the others are done").isEqualTo("stop");
        assertThat(chunks.getLast().path("choices")).isEmpty();
        assertThat(chunks.getLast().path("usage").path("completion_tokens").asLong()).isPositive();
    }

    private static ChatRequest ask(String question, boolean stream, Consumer<ObjectNode> adjust) {
        ChatRequest request = ask(question, stream);
        adjust.accept(request.body());
        return request;
    }

    /** Two tools, the first without parameters, as SDKs send a no-argument function. */
    private static void offerTools(ObjectNode body) {
        body.set("tools", JSON.readTree("""
                [{"type": "function", "function": {"name": "get_time"}},
                 {"type": "function", "function": {"name": "get_weather", "parameters": {
                   "type": "object", "additionalProperties": false, "required": ["city", "unit"],
                   "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}}}}]
                """));
    }

    private static List<ObjectNode> drain(ChatStream stream) {
        List<ObjectNode> chunks = new ArrayList<>();
        try (stream) {
            for (Optional<ObjectNode> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
                chunks.add(chunk.get());
            }
        }
        return chunks;
    }

    private static List<String> finishReasons(List<ObjectNode> chunks) {
        return chunks.stream().map(chunk -> chunk.path("choices").path(0).path("finish_reason"))
                .filter(JsonNode::isString).map(JsonNode::asString).toList();
    }
}
