package io.consilium.router.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import io.consilium.profiler.ProfileService;
import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code consilium/auto} with tools and JSON mode: tool calls are answers, compared by function and canonical
 * arguments, the aggregator sees the tools and may call one, and a JSON answer is valid or the request fails.
 */
class AutoToolsAndJsonIT extends RunningService {

    private static final FakeOpenAiUpstream STRONG = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream GOOD = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream AGGREGATOR = FakeOpenAiUpstream.start();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final String QUESTION = "Can my landlord keep my deposit for normal wear and tear under my lease?";
    private static final String TOOLS = """
            [{"type": "function", "function": {"name": "lookup_statute", "parameters": {"type": "object",
              "properties": {"q": {"type": "string"}, "state": {"type": "string"}}, "required": ["q"]}}}]""";
    private static final String SCHEMA = """
            {"type": "json_schema", "json_schema": {"name": "verdict", "strict": true, "schema": {"type": "object",
              "properties": {"allowed": {"type": "boolean"}, "reason": {"type": "string"}},
              "required": ["allowed", "reason"], "additionalProperties": false}}}""";

    @Autowired
    private ProfileService profiles;

    private String strong;
    private String good;
    private String aggregator;

    @AfterAll
    static void stopUpstreams() {
        List.of(STRONG, GOOD, AGGREGATOR).forEach(FakeOpenAiUpstream::close);
    }

    @BeforeEach
    void registerExperts() {
        List.of(STRONG, GOOD, AGGREGATOR).forEach(FakeOpenAiUpstream::reset);
        int id = IDS.incrementAndGet();
        strong = expert("tools-strong-" + id, STRONG, 0.95);
        good = expert("tools-good-" + id, GOOD, 0.7);
        aggregator = "tools-aggregator-" + id;
        registry.register(Expert.builder(aggregator).provider(Provider.OPENAI).baseUrl(AGGREGATOR.baseUrl())
                .model("agg").roleIds(List.of("aggregator")).build());
    }

    private String expert(String id, FakeOpenAiUpstream upstream, double lawAccuracy) {
        registry.register(Expert.builder(id).provider(Provider.OPENAI).baseUrl(upstream.baseUrl()).model(id).build());
        for (int i = 0; i < 40; i++) {
            profiles.recordAnswer(id, Map.of("law", 1.0), i < lawAccuracy * 40);
        }
        return id;
    }

    private String options(String fusion) {
        return "\"consilium\": {\"experts\": {\"allow\": [\"%s\", \"%s\"]}, \"k\": 2, \"fusion\": \"%s\", \"aggregator\": \"%s\"}"
                .formatted(strong, good, fusion, aggregator);
    }

    private HttpResponse<String> ask(String fields) {
        return postJson("/v1/chat/completions", """
                {"model": "consilium/auto", "messages": [{"role": "user", "content": "%s"}], %s}""".formatted(QUESTION, fields));
    }

    @Test
    void should_answer_with_the_tool_call_the_experts_agree_on_whatever_the_argument_formatting() {
        // given: the same call, arguments in another order and spacing
        STRONG.answerWith(toolCall("call_s", "{\"q\":\"deposit\",\"state\":\"CA\"}"));
        GOOD.answerWith(toolCall("call_g", "{ \"state\" : \"CA\", \"q\" : \"deposit\" }"));

        // when
        ChatCompletion completion = openAi.chat().completions().create(params("synthesize").build());

        // then
        ChatCompletion.Choice choice = completion.choices().getFirst();
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("lookup_statute");
        assertThat(JSON.readTree(call.function().arguments())).isEqualTo(JSON.readTree("{\"q\":\"deposit\",\"state\":\"CA\"}"));
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(completion._additionalProperties().get("consilium").toString()).contains("consensus=true");
        assertThat(AGGREGATOR.calls()).isZero();
        assertThat(STRONG.lastRequestBody().path("tools").path(0).path("function").path("name").asString())
                .isEqualTo("lookup_statute");
    }

    @Test
    void should_let_the_weighted_vote_choose_between_a_tool_call_and_a_text_answer() {
        // given
        STRONG.answerWith(toolCall("call_s", "{\"q\":\"deposit\"}"));
        GOOD.answerWith(Reply.completion("Yes, the landlord may keep it."));

        // when
        HttpResponse<String> response = ask("\"tools\": " + TOOLS + ", " + options("vote"));

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode choice = json(response).path("choices").path(0);
        assertThat(choice.path("finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(choice.path("message").path("content").isNull()).isTrue();
        assertThat(choice.path("message").path("tool_calls").path(0).path("id").asString()).isEqualTo("call_s");
        assertThat(json(response).path("consilium").path("fusion").asString()).isEqualTo("vote");
    }

    @Test
    void should_show_the_aggregator_the_tools_and_the_candidates_calls_and_relay_its_own_tool_call() {
        // given: the experts call the tool differently; the aggregator decides
        STRONG.answerWith(toolCall("call_s", "{\"q\":\"deposit\"}"));
        GOOD.answerWith(toolCall("call_g", "{\"q\":\"wear and tear\"}"));
        AGGREGATOR.answerWith(toolCall("call_a", "{\"q\":\"deposit wear and tear\"}"));

        // when
        HttpResponse<String> response = ask("\"tools\": " + TOOLS + ", \"tool_choice\": \"required\", " + options("synthesize"));

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode call = json(response).path("choices").path(0).path("message").path("tool_calls").path(0);
        assertThat(call.path("id").asString()).isEqualTo("call_a");
        assertThat(call.path("function").path("arguments").asString()).isEqualTo("{\"q\":\"deposit wear and tear\"}");
        JsonNode asked = AGGREGATOR.lastRequestBody();
        assertThat(asked.path("tools").path(0).path("function").path("name").asString()).isEqualTo("lookup_statute");
        assertThat(asked.path("tool_choice").asString()).isEqualTo("required");
        assertThat(asked.path("messages").toString()).contains("lookup_statute(").contains("wear and tear");
        assertThat(STRONG.lastRequestBody().path("tool_choice").asString()).isEqualTo("required");
    }

    @Test
    void should_stream_a_fused_tool_call_that_the_sdk_accumulates() {
        // given
        STRONG.answerWith(toolCall("call_s", "{\"q\":\"deposit\"}"));
        GOOD.answerWith(toolCall("call_g", "{\"q\":\"lease\"}"));
        AGGREGATOR.answerWith(toolCall("call_a", "{\"q\":\"deposit\"}"));
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

        // when
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(
                params("synthesize").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        // then
        ChatCompletion.Choice choice = accumulator.chatCompletion().choices().getFirst();
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.id()).isEqualTo("call_a");
        assertThat(call.function().arguments()).isEqualTo("{\"q\":\"deposit\"}");
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(AGGREGATOR.lastRequestBody().path("stream").asBoolean(false)).isFalse();
    }

    @Test
    void should_continue_the_tool_conversation_with_the_expert_whose_call_was_chosen() {
        // given: the experts agree on a call; the best-weighted expert is its author
        STRONG.answerWith(toolCall("call_keep_" + IDS.get(), "{\"q\":\"deposit\"}"));
        GOOD.answerWith(toolCall("call_other_" + IDS.get(), "{\"q\":\"deposit\"}"));
        HttpResponse<String> first = ask("\"tools\": " + TOOLS + ", " + options("synthesize"));
        String callId = json(first).path("choices").path(0).path("message").path("tool_calls").path(0).path("id").asString();
        STRONG.reset();
        GOOD.reset();

        // when
        HttpResponse<String> continued = postJson("/v1/chat/completions", """
                {"model": "consilium/auto", "tools": %s, "messages": [
                  {"role": "user", "content": "%s"},
                  {"role": "assistant", "content": null, "tool_calls": [{"id": "%s", "type": "function",
                    "function": {"name": "lookup_statute", "arguments": "{\\"q\\":\\"deposit\\"}"}}]},
                  {"role": "tool", "tool_call_id": "%s", "content": "Normal wear and tear cannot be charged."}],
                 %s}""".formatted(TOOLS, QUESTION, callId, callId, options("synthesize")));

        // then
        assertThat(callId).isEqualTo("call_keep_" + IDS.get());
        assertThat(continued.statusCode()).as(continued.body()).isEqualTo(200);
        JsonNode metadata = json(continued).path("consilium");
        assertThat(metadata.path("affinity").path("expert").asString()).isEqualTo(strong);
        assertThat(metadata.path("experts")).hasSize(1);
        assertThat(metadata.path("fusion").asString()).isEqualTo("none");
        assertThat(GOOD.calls()).isZero();
    }

    @Test
    void should_answer_valid_json_matching_the_schema_leaving_out_an_answer_that_is_not() {
        // given: the stronger expert writes prose, the other a valid object (in a fence, formatted its own way)
        STRONG.answerWith(Reply.completion("Allowed: no. The landlord may not."));
        GOOD.answerWith(Reply.completion("```json\n{ \"allowed\": false, \"reason\": \"normal wear\" }\n```"));

        // when
        HttpResponse<String> response = ask("\"response_format\": " + SCHEMA + ", " + options("vote"));

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(json(response).path("choices").path(0).path("message").path("content").asString());
        assertThat(answer.path("allowed").asBoolean(true)).isFalse();
        assertThat(answer.path("reason").asString()).isEqualTo("normal wear");
        assertThat(STRONG.lastRequestBody().path("response_format").path("type").asString()).isEqualTo("json_schema");
    }

    @Test
    void should_fail_with_a_clear_502_when_no_answer_is_valid_json() {
        // given
        STRONG.answerWith(Reply.completion("No."));
        GOOD.answerWith(Reply.completion("{\"allowed\": \"maybe\"}"));
        AGGREGATOR.answerWith(Reply.completion("I think not."));

        // when
        HttpResponse<String> response = ask("\"response_format\": " + SCHEMA + ", " + options("synthesize"));

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        JsonNode error = json(response).path("error");
        assertThat(error.path("code").asString()).isEqualTo("no_valid_answer");
        assertThat(error.path("message").asString()).contains("json_schema").contains(strong).contains("aggregator");
    }

    private ChatCompletionCreateParams.Builder params(String fusion) {
        return ChatCompletionCreateParams.builder().model("consilium/auto").addUserMessage(QUESTION)
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("lookup_statute")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("q", Map.of("type", "string"),
                                        "state", Map.of("type", "string"))))
                                .build())
                        .build()).build())
                .putAdditionalBodyProperty("consilium", JsonValue.from(Map.of("experts", Map.of("allow", List.of(strong, good)),
                        "k", 2, "fusion", fusion, "aggregator", aggregator)));
    }

    private static Reply toolCall(String id, String arguments) {
        return (exchange, request, upstream) -> {
            var body = JSON.createObjectNode();
            body.put("id", "chatcmpl-up").put("object", "chat.completion").put("created", 1)
                    .put("model", request.path("model").asString());
            var choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "tool_calls");
            var message = choice.putObject("message").put("role", "assistant");
            message.putNull("content");
            var call = message.putArray("tool_calls").addObject().put("id", id).put("type", "function");
            call.putObject("function").put("name", "lookup_statute").put("arguments", arguments);
            body.putObject("usage").put("prompt_tokens", 20).put("completion_tokens", 8).put("total_tokens", 28);
            Reply.json(200, body.toString()).send(exchange, request, upstream);
        };
    }
}
