package io.consilium.aggregator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.aggregator.CandidateAnswer;
import io.consilium.aggregator.ToolCall;
import io.consilium.registry.ChatRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class AnswerRulesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WEATHER_SCHEMA = """
            {"type": "json_schema", "json_schema": {"name": "weather", "strict": true, "schema": {
              "type": "object", "additionalProperties": false, "required": ["city", "celsius"],
              "properties": {"city": {"type": "string"}, "celsius": {"type": "number"},
                             "sky": {"enum": ["clear", "cloudy"]}}}}}
            """;
    private static final ToolCall WEATHER = new ToolCall("1", "weather", "{\"city\":\"Oslo\"}");
    private static final ToolCall TIME = new ToolCall("2", "time", "{}");

    /** A request with these extra top-level fields, given as the inside of a JSON object. */
    private static AnswerRules rules(String fields) {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]"
                + (fields.isBlank() ? "" : ", " + fields) + "}");
        return AnswerRules.of(new ChatRequest(body));
    }

    @Test
    void should_accept_a_fenced_json_object_as_its_bare_json_when_json_mode_is_on() {
        // given
        AnswerRules rules = rules("\"response_format\": {\"type\": \"json_object\"}");

        // when
        Verdict verdict = rules.check("```json\n{\"a\": 1}\n```\n", List.of());

        // then
        assertThat(verdict).isEqualTo(new Verdict.Accepted("{\"a\": 1}"));
        assertThat(rules.json()).isTrue();
        assertThat(rules.describe()).isEqualTo("response_format json_object");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Sure! {"a": 1}        | was not valid JSON
            '{"a": 1'             | was not valid JSON
            '{"a": 1} {"b": 2}'   | was not valid JSON
            '[1, 2]'              | was JSON but not an object
            '"text"'              | was JSON but not an object
            ''                    | was not valid JSON
            """)
    void should_refuse_content_that_is_not_a_json_object_when_json_mode_is_on(String content, String reason) {
        // when
        Verdict verdict = rules("\"response_format\": {\"type\": \"json_object\"}").check(content, List.of());

        // then
        assertThat(verdict).isEqualTo(new Verdict.Refused(reason));
    }

    @Test
    void should_accept_any_text_when_the_request_asks_for_text() {
        assertThat(rules("\"response_format\": {\"type\": \"text\"}").check("not JSON", List.of()))
                .isEqualTo(new Verdict.Accepted("not JSON"));
        assertThat(rules("").check("```json\n{}\n```", List.of())).isEqualTo(new Verdict.Accepted("```json\n{}\n```"));
    }

    @Test
    void should_accept_content_that_matches_the_schema_and_refuse_what_breaks_it() {
        // given
        AnswerRules rules = rules("\"response_format\": " + WEATHER_SCHEMA);

        // when
        Verdict matching = rules.check("{\"city\": \"Oslo\", \"celsius\": -3.5, \"sky\": \"clear\"}", List.of());
        Verdict missing = rules.check("{\"city\": \"Oslo\"}", List.of());
        Verdict extra = rules.check("{\"city\": \"Oslo\", \"celsius\": 1, \"wind\": 3}", List.of());
        Verdict badType = rules.check("{\"city\": \"Oslo\", \"celsius\": \"cold\"}", List.of());
        Verdict badEnum = rules.check("{\"city\": \"Oslo\", \"celsius\": 1, \"sky\": \"green\"}", List.of());

        // then
        assertThat(matching).isInstanceOf(Verdict.Accepted.class);
        assertThat(List.of(missing, extra, badType, badEnum)).allSatisfy(verdict -> assertThat(verdict)
                .isInstanceOfSatisfying(Verdict.Refused.class, refused ->
                        assertThat(refused.reason()).startsWith("did not match the schema 'weather': ")));
        assertThat(((Verdict.Refused) missing).reason()).contains("celsius");
        assertThat(((Verdict.Refused) extra).reason()).contains("wind");
        assertThat(rules.describe()).isEqualTo("response_format json_schema 'weather'");
    }

    @Test
    void should_refuse_every_answer_without_loading_anything_when_the_schema_refers_elsewhere() {
        // given: a schema that would make the validator fetch a URL
        AnswerRules rules = rules("""
                "response_format": {"type": "json_schema", "json_schema": {"name": "remote", "schema":
                  {"type": "object", "properties": {"a": {"$ref": "https://schemas.invalid/a.json"}}}}}
                """);

        // when
        Verdict verdict = rules.check("{\"a\": 1}", List.of());

        // then
        assertThat(verdict).isInstanceOfSatisfying(Verdict.Refused.class, refused ->
                assertThat(refused.reason()).startsWith("could not be checked: the schema 'remote' cannot be used ("));
    }

    @Test
    void should_not_hold_an_answer_with_tool_calls_to_the_response_format() {
        // given
        AnswerRules rules = rules("\"response_format\": " + WEATHER_SCHEMA);

        // then
        assertThat(rules.check("", List.of(WEATHER))).isEqualTo(new Verdict.Accepted(""));
    }

    @ParameterizedTest(name = "tool_choice {0}, {1} calls")
    @CsvSource(delimiter = '|', textBlock = """
            '"none"'                                                | 0 |
            '"none"'                                                | 1 | called a tool, but tool_choice is none
            '"required"'                                            | 0 | called no tool, but tool_choice is required
            '"required"'                                            | 2 |
            '"auto"'                                                | 0 |
            '"auto"'                                                | 2 |
            '{"type": "function", "function": {"name": "weather"}}' | 1 |
            '{"type": "function", "function": {"name": "weather"}}' | 2 | called 'time', but tool_choice names 'weather'
            '{"type": "function", "function": {"name": "weather"}}' | 0 | called no tool, but tool_choice names 'weather'
            """)
    void should_allow_only_the_calls_tool_choice_allows(String toolChoice, int calls, String refusal) {
        // given
        AnswerRules rules = rules("\"tool_choice\": " + toolChoice);
        List<ToolCall> made = List.of(WEATHER, TIME).subList(0, calls);

        // when
        Verdict verdict = rules.check("", made);

        // then
        assertThat(verdict).isEqualTo(refusal == null ? new Verdict.Accepted("") : new Verdict.Refused(refusal));
    }

    @Test
    void should_allow_one_call_at_most_when_parallel_tool_calls_is_false() {
        // given
        AnswerRules serial = rules("\"parallel_tool_calls\": false, \"tool_choice\": \"required\"");
        AnswerRules parallel = rules("\"parallel_tool_calls\": true");

        // then
        assertThat(serial.check("", List.of(WEATHER))).isInstanceOf(Verdict.Accepted.class);
        assertThat(serial.check("", List.of(WEATHER, TIME)))
                .isEqualTo(new Verdict.Refused("made 2 tool calls, but parallel_tool_calls is false"));
        assertThat(parallel.check("", List.of(WEATHER, TIME))).isInstanceOf(Verdict.Accepted.class);
        assertThat(serial.describe()).isEqualTo("tool_choice required, parallel_tool_calls false");
    }

    @Test
    void should_split_answers_into_eligible_ones_with_bare_json_and_refusals_naming_each_expert() {
        // given
        AnswerRules rules = rules("\"response_format\": {\"type\": \"json_object\"}");
        List<CandidateAnswer> answers = List.of(
                new CandidateAnswer("a", "```\n{\"x\": 1}\n```", 0.5),
                new CandidateAnswer("b", "x = 1", 0.9),
                new CandidateAnswer("c", "", 0.2, List.of(WEATHER)));

        // when
        AnswerRules.Screening screened = rules.screen(answers);

        // then
        assertThat(screened.eligible()).containsExactly(
                new CandidateAnswer("a", "{\"x\": 1}", 0.5), new CandidateAnswer("c", "", 0.2, List.of(WEATHER)));
        assertThat(screened.refusals()).containsExactly("the answer of 'b' was not valid JSON");
    }

    @Test
    void should_need_the_whole_answer_only_when_tools_are_offered_or_json_is_asked_for() {
        assertThat(rules("").needsWholeAnswer()).isFalse();
        assertThat(rules("\"tools\": []").needsWholeAnswer()).isFalse();
        assertThat(rules("\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"weather\"}}]")
                .needsWholeAnswer()).isTrue();
        assertThat(rules("\"response_format\": {\"type\": \"json_object\"}").needsWholeAnswer()).isTrue();
        assertThat(rules("\"response_format\": {\"type\": \"text\"}").needsWholeAnswer()).isFalse();
    }
}
