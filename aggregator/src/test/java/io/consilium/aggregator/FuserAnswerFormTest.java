package io.consilium.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.ChatRequest;
import io.consilium.registry.ExpertProtocolException;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.Usage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Fusion of answers that are tool calls or JSON, held to the request's response_format and tool rules. */
class FuserAnswerFormTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOOLS = """
            "tools": [{"type": "function", "function": {"name": "weather", "parameters": {"type": "object"}}},
                      {"type": "function", "function": {"name": "time", "parameters": {"type": "object"}}}]
            """;
    private static final String JSON_OBJECT = "\"response_format\": {\"type\": \"json_object\"}";
    private static final String WEATHER_SCHEMA = """
            "response_format": {"type": "json_schema", "json_schema": {"name": "weather", "strict": true, "schema": {
              "type": "object", "additionalProperties": false, "required": ["city", "celsius"],
              "properties": {"city": {"type": "string"}, "celsius": {"type": "number"}}}}}
            """;
    private static final ToolCall WEATHER = new ToolCall("call_1", "weather", "{\"city\":\"Oslo\",\"units\":\"metric\"}");
    private static final ToolCall TIME = new ToolCall("call_2", "time", "{\"zone\":\"CET\"}");

    private final Fuser fuser = Fuser.of(FusionConfig.ofDefaults());
    private final ScriptedAggregator aggregator = new ScriptedAggregator("agg");

    /** A request with these extra top-level fields, given as the inside of a JSON object. */
    private static ChatRequest request(String... fields) {
        StringBuilder body = new StringBuilder("{\"model\": \"consilium/auto\", \"temperature\": 0.2, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"How cold is Oslo?\"}]");
        for (String field : fields) {
            body.append(", ").append(field);
        }
        return new ChatRequest((ObjectNode) JSON.readTree(body.append('}').toString()));
    }

    private FusionInput input(ChatRequest request, FusionMode mode, CandidateAnswer... answers) {
        return new FusionInput(request, mode, List.of(answers), List.of(), aggregator.expert());
    }

    private static CandidateAnswer calling(String expertId, double weight, ToolCall... calls) {
        return new CandidateAnswer(expertId, "", weight, List.of(calls));
    }

    @Test
    void should_agree_without_the_aggregator_when_experts_make_the_same_calls_written_differently() {
        // given
        CandidateAnswer first = calling("a", 0.6, WEATHER, TIME);
        CandidateAnswer second = calling("b", 0.9, new ToolCall("x9", "time", "{ \"zone\": \"CET\" }"),
                new ToolCall("x8", "weather", "{\n  \"units\": \"metric\",\n  \"city\": \"Oslo\"\n}"));

        // when
        FusionResult result = fuser.fuse(input(request(TOOLS), FusionMode.SYNTHESIZE, first, second),
                expert -> aggregator);

        // then
        assertThat(result.consensus()).isTrue();
        assertThat(result.hasToolCalls()).isTrue();
        assertThat(result.toolCalls()).isEqualTo(second.toolCalls());
        assertThat(result.author()).isEqualTo("b");
        assertThat(result.requireText()).isEmpty();
        assertThat(aggregator.chats()).isEmpty();
    }

    @Test
    void should_let_the_weighted_majority_choose_between_calling_a_tool_and_answering_in_text() {
        // given
        CandidateAnswer text = new CandidateAnswer("text", "About -3 °C.", 0.8);
        CandidateAnswer caller = calling("caller", 0.5, WEATHER);
        CandidateAnswer alsoCaller = calling("also", 0.4,
                new ToolCall("z", "weather", "{\"units\":\"metric\",\"city\":\"Oslo\"}"));

        // when
        FusionResult called = fuser.fuse(input(request(TOOLS), FusionMode.VOTE, text, caller, alsoCaller),
                expert -> aggregator);
        FusionResult answered = fuser.fuse(input(request(TOOLS), FusionMode.VOTE, text, caller), expert -> aggregator);

        // then: 0.9 for the call beats 0.8 for the text; alone, 0.5 for it does not
        assertThat(called.toolCalls()).containsExactly(WEATHER);
        assertThat(called.author()).isEqualTo("caller");
        assertThat(answered.hasToolCalls()).isFalse();
        assertThat(answered.text()).isEqualTo("About -3 °C.");
        assertThat(answered.author()).isEqualTo("text");
    }

    @Test
    void should_agree_on_equal_json_objects_written_differently_and_answer_with_bare_json() {
        // given: read as prose, their last numbers differ
        CandidateAnswer terse = new CandidateAnswer("a", "{\"celsius\":-3,\"wind\":4}", 0.5);
        CandidateAnswer fenced = new CandidateAnswer("b", "```json\n{\n  \"wind\": 4.0,\n  \"celsius\": -3\n}\n```", 0.9);

        // when
        FusionResult result = fuser.fuse(input(request(JSON_OBJECT), FusionMode.SYNTHESIZE, terse, fenced),
                expert -> aggregator);

        // then
        assertThat(result.consensus()).isTrue();
        assertThat(result.author()).isEqualTo("b");
        assertThat(result.text()).isEqualTo("{\n  \"wind\": 4.0,\n  \"celsius\": -3\n}");
        assertThat(aggregator.chats()).isEmpty();
    }

    @Test
    void should_see_no_consensus_on_json_objects_that_differ_where_prose_reading_would_not() {
        // given: read as prose, both end in -3
        CandidateAnswer oslo = new CandidateAnswer("a", "{\"city\": \"Oslo\", \"celsius\": -3}", 0.5);
        CandidateAnswer bergen = new CandidateAnswer("b", "{\"city\": \"Bergen\", \"celsius\": -3}", 0.9);

        // when
        FusionResult result = fuser.fuse(input(request(JSON_OBJECT), FusionMode.VOTE, oslo, bergen), expert -> aggregator);

        // then
        assertThat(result.consensus()).isFalse();
        assertThat(result.author()).isEqualTo("b");
    }

    @Test
    void should_leave_out_an_answer_that_is_not_json_however_much_it_weighs() {
        // given
        CandidateAnswer prose = new CandidateAnswer("strong", "It is -3 degrees in Oslo.", 0.95);
        CandidateAnswer json = new CandidateAnswer("weak", "{\"city\": \"Oslo\", \"celsius\": -3}", 0.2);
        CandidateAnswer other = new CandidateAnswer("fair", "{\"city\": \"Oslo\", \"celsius\": -4}", 0.3);

        // when
        FusionResult best = fuser.fuse(input(request(JSON_OBJECT), FusionMode.BEST, prose, json, other), expert -> aggregator);
        FusionResult lone = fuser.fuse(input(request(JSON_OBJECT), FusionMode.VOTE, prose, json), expert -> aggregator);

        // then
        assertThat(best.author()).isEqualTo("fair");
        assertThat(lone.author()).isEqualTo("weak");
        assertThat(lone.mode()).isEqualTo(FusionMode.BEST);
    }

    @Test
    void should_leave_out_an_answer_that_breaks_the_schema() {
        // given
        CandidateAnswer extraField = new CandidateAnswer("a", "{\"city\": \"Oslo\", \"celsius\": -3, \"wind\": 4}", 0.5);
        CandidateAnswer sameExtra = new CandidateAnswer("b", "{\"wind\": 4, \"city\": \"Oslo\", \"celsius\": -3}", 0.5);
        CandidateAnswer valid = new CandidateAnswer("c", "{\"city\": \"Oslo\", \"celsius\": -2}", 0.4);

        // when
        FusionResult result = fuser.fuse(input(request(WEATHER_SCHEMA), FusionMode.VOTE, extraField, sameExtra, valid),
                expert -> aggregator);

        // then: 1.0 for the extra field would win, were it allowed
        assertThat(result.author()).isEqualTo("c");
        assertThat(result.text()).isEqualTo("{\"city\": \"Oslo\", \"celsius\": -2}");
    }

    @Test
    void should_fall_back_to_the_vote_and_record_the_failure_when_the_aggregators_answer_is_not_json() {
        // given
        aggregator.answering("Oslo is at -3 degrees.", 30, 6);
        CandidateAnswer light = new CandidateAnswer("light", "{\"city\": \"Oslo\", \"celsius\": -3}", 0.3);
        CandidateAnswer heavy = new CandidateAnswer("heavy", "{\"city\": \"Oslo\", \"celsius\": -4}", 0.6);

        // when
        FusionResult result = fuser.fuse(input(request(JSON_OBJECT), FusionMode.SYNTHESIZE, light, heavy),
                expert -> aggregator);

        // then
        assertThat(aggregator.chats()).hasSize(1);
        assertThat(result.mode()).isEqualTo(FusionMode.VOTE);
        assertThat(result.author()).isEqualTo("heavy");
        assertThat(result.aggregator()).isNotNull().satisfies(call -> {
            assertThat(call.answered()).isFalse();
            assertThat(call.failure()).isInstanceOf(ExpertProtocolException.class)
                    .hasMessageContaining("the aggregator's answer was not valid JSON");
            assertThat(call.usage()).isEqualTo(new Usage(30, 6));
        });
    }

    @Test
    void should_fall_back_to_the_vote_when_the_aggregators_answer_breaks_the_schema() {
        // given
        aggregator.answering("{\"city\": \"Oslo\"}", 1, 1);
        PendingSynthesis pending = fuser.synthesis(request(WEATHER_SCHEMA),
                List.of(new CandidateAnswer("a", "{\"city\": \"Oslo\", \"celsius\": -3}", 0.5)), aggregator.expert());

        // when
        FusionResult result = fuser.synthesize(pending, aggregator);

        // then
        assertThat(result.author()).isEqualTo("a");
        assertThat(result.aggregator()).isNotNull().extracting(AggregatorCall::failure).isNotNull()
                .extracting(Throwable::getMessage).asString()
                .contains("the aggregator's answer did not match the schema 'weather'");
    }

    @Test
    void should_answer_with_the_aggregators_tool_call_under_its_name_and_show_it_the_tools() {
        // given
        aggregator.callingTools(new ToolCall("agg_1", "weather", "{\"city\":\"Oslo\"}"));

        // when
        FusionResult result = fuser.fuse(input(request(TOOLS, "\"tool_choice\": \"auto\"", "\"parallel_tool_calls\": true"),
                FusionMode.SYNTHESIZE, new CandidateAnswer("a", "Probably cold.", 0.5), calling("b", 0.5, WEATHER, TIME)),
                expert -> aggregator);

        // then
        assertThat(result.mode()).isEqualTo(FusionMode.SYNTHESIZE);
        assertThat(result.author()).isEqualTo("agg");
        assertThat(result.toolCalls()).containsExactly(new ToolCall("agg_1", "weather", "{\"city\":\"Oslo\"}"));
        assertThat(result.requireText()).isEmpty();
        assertThat(result.aggregator()).isNotNull().extracting(AggregatorCall::answered).isEqualTo(true);
        JsonNode sent = aggregator.chats().getFirst().body();
        assertThat(sent.path("tools").size()).isEqualTo(2);
        assertThat(sent.path("tool_choice").asString()).isEqualTo("auto");
        assertThat(sent.path("parallel_tool_calls").isBoolean()).isTrue();
        assertThat(sent.path("messages").path(2).path("content").asString())
                .contains("[1]\nProbably cold.\n")
                .contains("[2]\nTool calls:\n- weather({\"city\":\"Oslo\",\"units\":\"metric\"})\n- time({\"zone\":\"CET\"})")
                .contains("answer with those tool calls");
    }

    @Test
    void should_send_the_answer_form_fields_even_when_the_config_copies_other_fields() {
        // given
        Fuser custom = Fuser.of(FusionConfig.custom().copiedFields(List.of("seed")).build());
        aggregator.answering("{\"city\": \"Oslo\", \"celsius\": -3}", 1, 1);

        // when
        FusionResult result = custom.fuse(input(request(WEATHER_SCHEMA, "\"seed\": 7"), FusionMode.SYNTHESIZE,
                new CandidateAnswer("a", "{}", 0.5), new CandidateAnswer("b", "{\"city\": 1}", 0.5)), expert -> aggregator);

        // then
        JsonNode sent = aggregator.chats().getFirst().body();
        assertThat(sent.path("response_format").path("json_schema").path("name").asString()).isEqualTo("weather");
        assertThat(sent.path("seed").asInt()).isEqualTo(7);
        assertThat(sent.has("temperature")).isFalse();
        assertThat(sent.path("messages").path(2).path("content").asString()).contains("Answer with JSON alone");
        assertThat(result.author()).isEqualTo("agg");
        assertThat(result.text()).isEqualTo("{\"city\": \"Oslo\", \"celsius\": -3}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            '"tool_choice": "required"'                                            | caller
            '"tool_choice": "none"'                                                | text
            '"tool_choice": {"type": "function", "function": {"name": "weather"}}' | weather
            '"parallel_tool_calls": false'                                         | text
            '"tool_choice": "auto"'                                                | caller
            """)
    void should_let_only_answers_that_tool_choice_and_parallel_tool_calls_allow_win(String rule, String winner) {
        // given: without rules, the two-call answer outweighs the others
        CandidateAnswer caller = calling("caller", 0.9, WEATHER, TIME);
        CandidateAnswer weather = calling("weather", 0.3, WEATHER);
        CandidateAnswer text = new CandidateAnswer("text", "About -3 °C.", 0.5);

        // when
        FusionResult result = fuser.fuse(input(request(TOOLS, rule), FusionMode.VOTE, caller, weather, text),
                expert -> aggregator);

        // then
        assertThat(result.author()).isEqualTo(winner);
    }

    @Test
    void should_refuse_an_aggregator_tool_call_that_tool_choice_forbids() {
        // given
        aggregator.callingTools(TIME);

        // when
        FusionResult result = fuser.fuse(input(request(TOOLS, "\"tool_choice\": {\"type\": \"function\", \"function\": "
                        + "{\"name\": \"weather\"}}"), FusionMode.SYNTHESIZE, calling("a", 0.3, WEATHER),
                calling("b", 0.3, new ToolCall("9", "weather", "{\"city\":\"Bergen\"}"))), expert -> aggregator);

        // then
        assertThat(result.mode()).isEqualTo(FusionMode.VOTE);
        assertThat(result.toolCalls()).extracting(ToolCall::name).containsExactly("weather");
        assertThat(result.aggregator()).isNotNull().extracting(AggregatorCall::failure).isNotNull()
                .extracting(Throwable::getMessage).asString().contains("called 'time', but tool_choice names 'weather'");
    }

    @Test
    void should_throw_no_valid_answer_naming_the_constraint_and_the_refusals_when_nothing_is_valid() {
        // given
        aggregator.answering("Still not JSON.", 1, 1);
        CandidateAnswer prose = new CandidateAnswer("a", "It is cold.", 0.5);
        CandidateAnswer array = new CandidateAnswer("b", "[-3]", 0.5);

        // then
        assertThatThrownBy(() -> fuser.fuse(input(request(JSON_OBJECT), FusionMode.SYNTHESIZE, prose, array),
                expert -> aggregator))
                .isInstanceOfSatisfying(NoValidAnswerException.class, e -> {
                    assertThat(e.constraints()).isEqualTo("response_format json_object");
                    assertThat(e.refusals()).containsExactly("the answer of 'a' was not valid JSON",
                            "the answer of 'b' was JSON but not an object", "the aggregator's answer was not valid JSON");
                    assertThat(e.getMessage()).startsWith(
                            "No answer met the request's constraints (response_format json_object): 3 answers were refused");
                });
        assertThat(aggregator.chats()).hasSize(1);
        assertThatThrownBy(() -> fuser.fuse(input(request(JSON_OBJECT), FusionMode.VOTE, prose, array), expert -> aggregator))
                .isInstanceOf(NoValidAnswerException.class).hasMessageContaining("2 answers were refused");
        assertThat(aggregator.chats()).hasSize(1);
    }

    @Test
    void should_name_the_aggregators_failure_when_it_failed_and_no_answer_is_valid() {
        // given
        ExpertTimeoutException timeout = new ExpertTimeoutException("agg", Duration.ofSeconds(1));
        aggregator.failingWith(timeout);

        // then
        assertThatThrownBy(() -> fuser.fuse(input(request(TOOLS, "\"tool_choice\": \"required\""), FusionMode.SYNTHESIZE,
                new CandidateAnswer("a", "No need for tools.", 0.5), new CandidateAnswer("b", "Nor here.", 0.5)),
                expert -> aggregator))
                .isInstanceOf(NoValidAnswerException.class).hasCause(timeout)
                .hasMessageContaining("(tool_choice required): 2 answers were refused")
                .hasMessageContaining("the aggregator gave no answer");
    }

    @Test
    void should_ask_for_a_whole_synthesis_and_return_no_stream_when_the_request_offers_tools_or_wants_json() {
        // given
        aggregator.answering("{\"city\": \"Oslo\", \"celsius\": -3}", 4, 2);
        CandidateAnswer text = new CandidateAnswer("a", "About -3.", 0.5);
        CandidateAnswer caller = calling("b", 0.5, WEATHER);

        // when
        FusionResult withTools = fuser.fuseStreaming(input(request(TOOLS), FusionMode.SYNTHESIZE, text, caller),
                expert -> aggregator);
        FusionResult withJson = fuser.fuseStreaming(input(request(JSON_OBJECT), FusionMode.SYNTHESIZE,
                new CandidateAnswer("a", "{\"celsius\": -3}", 0.5), new CandidateAnswer("b", "{\"celsius\": -4}", 0.5)),
                expert -> aggregator);

        // then
        assertThat(withTools.stream()).isNull();
        assertThat(withJson.stream()).isNull();
        assertThat(withTools.mode()).isEqualTo(FusionMode.SYNTHESIZE);
        assertThat(withJson.text()).isEqualTo("{\"city\": \"Oslo\", \"celsius\": -3}");
        assertThat(withJson.aggregator()).isNotNull().extracting(AggregatorCall::usage).isEqualTo(new Usage(4, 2));
        assertThat(aggregator.streams()).isEmpty();
        assertThat(aggregator.chats()).hasSize(2);
    }

    @Test
    void should_leave_a_synthesis_pending_when_no_answer_is_valid_for_the_aggregator_may_write_one() {
        // when
        FusionDecision decision = fuser.decide(input(request(JSON_OBJECT), FusionMode.SYNTHESIZE,
                new CandidateAnswer("a", "{\"celsius\": -3", 0.5), new CandidateAnswer("b", "celsius: -3", 0.5)));

        // then
        assertThat(decision).isInstanceOfSatisfying(PendingSynthesis.class,
                pending -> assertThat(pending.answers()).extracting(CandidateAnswer::expertId).containsExactly("a", "b"));
    }
}
