package io.consilium.router.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The embedded mock experts through the service and the official OpenAI SDK, used the way structured-output
 * and agent libraries use a model: the SDK's own parsing of JSON answers and tool arguments must succeed.
 */
class MockExpertsIT extends RunningService {

    private static final String MOCK = "mock-math";

    /** What a strict structured answer parses into: every property required, none extra. */
    record Solution(String answer, int steps, boolean exact, List<String> notes, Check check, String kind) {}

    record Check(String method, double error) {}

    record GetWeather(String city, String unit) {}

    /** The strict JSON schema of {@link Solution}, as structured-output libraries send it. */
    private static final ResponseFormatJsonSchema SOLUTION = ResponseFormatJsonSchema.builder()
            .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder().name("solution").strict(true)
                    .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                            .putAllAdditionalProperties(schema(Map.of(
                                    "answer", Map.of("type", "string"),
                                    "steps", Map.of("type", "integer"),
                                    "exact", Map.of("type", "boolean"),
                                    "notes", Map.of("type", "array", "items", Map.of("type", "string")),
                                    "check", strictObject(Map.of("method", Map.of("type", "string"),
                                            "error", Map.of("type", "number"))),
                                    "kind", Map.of("type", "string", "enum", List.of("exact", "approximate")))))
                            .build())
                    .build())
            .build();

    private static final FunctionDefinition GET_WEATHER = FunctionDefinition.builder().name("get_weather")
            .description("The current weather in a city")
            .parameters(FunctionParameters.builder().putAllAdditionalProperties(schema(Map.of(
                            "city", Map.of("type", "string"),
                            "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit")))))
                    .build())
            .build();

    /** A strict object schema as the SDK's free-form schema fields take it. */
    private static Map<String, JsonValue> schema(Map<String, Object> properties) {
        Map<String, JsonValue> schema = new LinkedHashMap<>();
        strictObject(properties).forEach((key, value) -> schema.put(key, JsonValue.from(value)));
        return schema;
    }

    private static Map<String, Object> strictObject(Map<String, Object> properties) {
        return Map.of("type", "object", "additionalProperties", false, "properties", properties,
                "required", List.copyOf(properties.keySet()));
    }

    private static ChatCompletionCreateParams.Builder ask(String question) {
        return ChatCompletionCreateParams.builder().model(MOCK).addUserMessage(question);
    }

    @Test
    void should_answer_a_json_object_when_asked_for_json_object() {
        // when
        ChatCompletion completion = openAi.chat().completions().create(
                ask("Give two primes as JSON").responseFormat(ResponseFormatJsonObject.builder().build()).build());

        // then
        JsonNode content = JSON.readTree(completion.choices().getFirst().message().content().orElseThrow());
        assertThat(content.path("mock").asString()).isEqualTo(MOCK);
        assertThat(content.path("answer").asString()).contains("Give two primes as JSON");
    }

    @Test
    void should_answer_json_the_sdk_parses_into_the_schema_type_when_asked_for_a_json_schema() {
        // when
        ChatCompletion completion = openAi.chat().completions().create(
                ask("Solve x + 1 = 2").responseFormat(SOLUTION).build());

        // then
        String content = completion.choices().getFirst().message().content().orElseThrow();
        Solution solution = JSON.readValue(content, Solution.class);
        assertThat(JSON.readTree(content).propertyNames())
                .containsExactlyInAnyOrder("answer", "steps", "exact", "notes", "check", "kind");
        assertThat(solution.answer()).contains("mock " + MOCK);
        assertThat(solution.notes()).isNotEmpty();
        assertThat(solution.check().method()).contains("mock " + MOCK);
        assertThat(solution.kind()).isEqualTo("exact");
    }

    @Test
    void should_call_the_tool_and_then_answer_its_result_in_text_so_an_agent_loop_ends() {
        // given
        ChatCompletionCreateParams first = ask("What is the weather in Oslo?").addFunctionTool(GET_WEATHER).build();

        // when: the model calls the tool
        ChatCompletion called = openAi.chat().completions().create(first);

        // then
        ChatCompletion.Choice choice = called.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessage message = choice.message();
        assertThat(message.content()).isEmpty();
        ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.id()).startsWith("call_");
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(JSON.readValue(call.function().arguments(), GetWeather.class).unit()).isEqualTo("celsius");

        // when: the tool's result goes back
        ChatCompletion answered = openAi.chat().completions().create(first.toBuilder()
                .addMessage(message)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("4 degrees, rain").build())
                .build());

        // then
        ChatCompletion.Choice last = answered.choices().getFirst();
        assertThat(last.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(last.message().toolCalls().orElse(List.of())).isEmpty();
        assertThat(last.message().content().orElseThrow()).contains("4 degrees, rain");
    }

    @Test
    void should_give_two_labelled_choices_when_n_is_2() {
        // when
        ChatCompletion completion = openAi.chat().completions().create(ask("What is 2+2?").n(2).build());

        // then
        assertThat(completion.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L);
        assertThat(completion.choices().get(1).message().content().orElseThrow()).contains("choice 2 of 2");
    }

    @Test
    void should_refuse_n_out_of_range_naming_n() {
        for (int n : new int[] {0, 129}) {
            // when
            HttpResponse<String> response = postJson("/v1/chat/completions", """
                    {"model": "%s", "n": %d, "messages": [{"role": "user", "content": "hi"}]}""".formatted(MOCK, n));

            // then
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(json(response).path("error").path("param").asString()).isEqualTo("n");
            assertThat(json(response).path("error").path("type").asString()).isEqualTo("invalid_request_error");
        }
    }

    @Test
    void should_stream_a_tool_call_the_sdk_accumulates_and_the_usage_when_asked() {
        // given
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        // when
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(
                ask("What is the weather in Oslo?").addFunctionTool(GET_WEATHER)
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                accumulator.accumulate(chunk);
            });
        }

        // then
        ChatCompletion.Choice choice = accumulator.chatCompletion().choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(JSON.readValue(call.function().arguments(), GetWeather.class).unit()).isEqualTo("celsius");
        assertThat(chunks).anySatisfy(chunk -> {
            assertThat(chunk.choices()).isEmpty();
            assertThat(chunk.usage()).hasValueSatisfying(usage -> assertThat(usage.promptTokens()).isPositive());
        });
    }

    @Test
    void should_stream_json_content_for_each_choice_the_sdk_accumulates_when_n_is_2() {
        // given
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

        // when
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(
                ask("Give two primes as JSON").n(2).responseFormat(ResponseFormatJsonObject.builder().build())
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> accumulator.accumulate(chunk));
        }

        // then
        ChatCompletion completion = accumulator.chatCompletion();
        assertThat(completion.choices()).hasSize(2);
        for (ChatCompletion.Choice choice : completion.choices()) {
            JsonNode content = JSON.readTree(choice.message().content().orElseThrow());
            assertThat(content.path("mock").asString()).isEqualTo(MOCK);
            assertThat(content.path("answer").asString()).contains("choice " + (choice.index() + 1) + " of 2");
        }
        assertThat(completion.usage()).hasValueSatisfying(usage -> assertThat(usage.completionTokens()).isPositive());
    }
}
