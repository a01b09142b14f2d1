package io.consilium.router.responses;

import static io.consilium.router.responses.ResponsesSdk.assertOneMessageSequence;
import static io.consilium.router.responses.ResponsesSdk.consilium;
import static io.consilium.router.responses.ResponsesSdk.streamedText;
import static io.consilium.router.responses.ResponsesSdk.text;
import static io.consilium.router.responses.ResponsesSdk.weatherTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseDeleteParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/responses} through the official OpenAI Java SDK, over an expert that follows the chat completions
 * contract: the request reaches the expert as chat, the answer comes back as a response, whole or as the
 * Responses event stream, and stored responses carry a conversation on.
 */
class ResponsesIT extends RunningService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.startHonouringContract(Duration.ofMillis(2));

    private String expert;

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @BeforeEach
    void registerExpert() {
        UPSTREAM.reset();
        expert = registerRemote(UPSTREAM.baseUrl()).id();
    }

    private ResponseCreateParams.Builder ask(String input) {
        return ResponseCreateParams.builder().model(expert).input(input);
    }

    @Test
    void should_answer_an_expert_id_with_a_whole_response_the_sdk_parses() {
        // when
        Response response = openAi.responses().create(ask("Hello there").instructions("Be brief.")
                .metadata(ResponseCreateParams.Metadata.builder().putAdditionalProperty("ticket", JsonValue.from("T-1"))
                        .build())
                .temperature(0.2).maxOutputTokens(200L).build());

        // then
        response.validate();
        assertThat(response.id()).startsWith("resp_");
        assertThat(response.status()).contains(ResponseStatus.COMPLETED);
        assertThat(response.model().asString()).isEqualTo(expert);
        assertThat(text(response)).isEqualTo("echo: Hello there");
        assertThat(response.instructions().orElseThrow().asString()).isEqualTo("Be brief.");
        assertThat(response.metadata().orElseThrow()._additionalProperties().get("ticket").asString()).contains("T-1");
        assertThat(response.usage().orElseThrow().totalTokens()).isPositive();
        JsonNode metadata = consilium(response);
        assertThat(metadata.path("experts").path(0).path("id").asString()).isEqualTo(expert);
        assertThat(metadata.path("completion_id").asString()).isNotEmpty();
        JsonNode sent = UPSTREAM.lastRequestBody();
        assertThat(sent.path("messages").toString())
                .isEqualTo("[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                        + "{\"role\":\"user\",\"content\":\"Hello there\"}]");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(200);
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.has("metadata")).isFalse();
    }

    @Test
    void should_stream_the_responses_event_sequence_with_the_whole_response_at_the_end() {
        // when
        List<ResponseStreamEvent> events;
        try (StreamResponse<ResponseStreamEvent> stream = openAi.responses().createStreaming(
                ask("Stream me a sentence").build())) {
            events = stream.stream().toList();
        }

        // then
        assertOneMessageSequence(events);
        int last = events.size() - 1;
        String streamed = streamedText(events);
        Response completed = events.get(last).completed().orElseThrow().response();
        completed.validate();
        assertThat(streamed).isEqualTo("echo: Stream me a sentence").isEqualTo(text(completed));
        assertThat(completed.usage().orElseThrow().totalTokens()).isPositive();
        assertThat(consilium(completed).path("experts").path(0).path("id").asString()).isEqualTo(expert);
        assertThat(openAi.responses().retrieve(completed.id()).id()).isEqualTo(completed.id());
    }

    @Test
    void should_make_a_function_call_and_take_its_output_in_a_continuation() {
        // given
        Response call = openAi.responses().create(ask("What is the weather in Lima?").addTool(weatherTool()).build());
        ResponseFunctionToolCall functionCall = call.output().stream().flatMap(item -> item.functionCall().stream())
                .findFirst().orElseThrow();
        assertThat(functionCall.name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(functionCall.arguments()).has("city")).isTrue();

        // when
        Response answer = openAi.responses().create(ResponseCreateParams.builder().model(expert)
                .previousResponseId(call.id()).addTool(weatherTool())
                .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput
                        .builder().callId(functionCall.callId()).output("{\"celsius\": 21}").build())))
                .build());

        // then
        assertThat(text(answer)).isNotEmpty();
        assertThat(answer.output()).noneMatch(ResponseOutputItem::isFunctionCall);
        JsonNode messages = UPSTREAM.lastRequestBody().path("messages");
        assertThat(messages.path(1).path("role").asString()).isEqualTo("assistant");
        assertThat(messages.path(1).path("tool_calls").path(0).path("id").asString()).isEqualTo(functionCall.callId());
        assertThat(messages.path(2).path("role").asString()).isEqualTo("tool");
        assertThat(messages.path(2).path("tool_call_id").asString()).isEqualTo(functionCall.callId());
        assertThat(messages.path(2).path("content").asString()).isEqualTo("{\"celsius\": 21}");
    }

    @Test
    void should_give_the_expert_the_earlier_turns_of_a_continued_response_but_not_their_instructions() {
        // given
        Response first = openAi.responses().create(ask("My name is Ada.").instructions("Answer in French.").build());

        // when
        Response second = openAi.responses().create(ResponseCreateParams.builder().model(expert)
                .previousResponseId(first.id()).input("What is my name?").build());

        // then
        assertThat(second.previousResponseId()).contains(first.id());
        assertThat(UPSTREAM.lastRequestBody().path("messages").toString()).isEqualTo(
                "[{\"role\":\"user\",\"content\":\"My name is Ada.\"},"
                        + "{\"role\":\"assistant\",\"content\":\"echo: My name is Ada.\"},"
                        + "{\"role\":\"user\",\"content\":\"What is my name?\"}]");
        JsonNode items = json(send("GET", "/v1/responses/" + second.id() + "/input_items?order=asc", null, null));
        assertThat(items.path("data").valueStream().map(item -> item.path("type").asString()).toList())
                .containsExactly("message", "message", "message");
    }

    @Test
    void should_resolve_an_item_reference_to_an_output_item_of_a_stored_response_of_the_same_key() {
        // given
        Response first = openAi.responses().create(ask("Remember the number 7.").build());
        String itemId = first.output().getFirst().message().orElseThrow().id();
        String body = "{\"model\": \"" + expert + "\", \"input\": [{\"role\": \"user\", \"content\": \"Remember the number 7.\"},"
                + " {\"type\": \"item_reference\", \"id\": \"" + itemId + "\"}, {\"role\": \"user\", \"content\": \"Which number?\"}]}";

        // when
        HttpResponse<String> answered = postJson("/v1/responses", body);
        HttpResponse<String> stranger = send("POST", "/v1/responses", "application/json", body, newApiKey("responses-stranger"));

        // then
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(stranger.statusCode()).isEqualTo(400);
        assertThat(json(stranger).path("error").path("param").asString()).isEqualTo("input[1].id");
    }

    @Test
    void should_ask_for_json_with_text_format_and_answer_json() {
        // when
        Response response = openAi.responses().create(ask("Give me a JSON object about Lima.")
                .text(ResponseTextConfig.builder().format(ResponseFormatJsonObject.builder().build()).build()).build());

        // then
        assertThat(UPSTREAM.lastRequestBody().path("response_format").path("type").asString()).isEqualTo("json_object");
        assertThat(JSON.readTree(text(response)).isObject()).isTrue();
    }

    @Test
    void should_keep_nothing_with_store_false_and_forget_a_deleted_response() {
        // given
        Response unstored = openAi.responses().create(ask("Keep nothing").store(false).build());
        Response stored = openAi.responses().create(ask("Keep this").build());

        // when
        var deleted = send("DELETE", "/v1/responses/" + stored.id(), null, null);

        // then
        assertThatThrownBy(() -> openAi.responses().retrieve(unstored.id())).isInstanceOf(NotFoundException.class);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).toString()).isEqualTo("{\"id\":\"" + stored.id()
                + "\",\"object\":\"response.deleted\",\"deleted\":true}");
        assertThatThrownBy(() -> openAi.responses().retrieve(stored.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> openAi.responses().delete(ResponseDeleteParams.builder().responseId(stored.id()).build()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void should_hide_a_stored_response_from_another_key() {
        // given
        OpenAIClient owner = clientWithKey(newApiKey("responses-owner"));
        OpenAIClient other = clientWithKey(newApiKey("responses-other"));
        Response mine = owner.responses().create(ask("Private question").build());

        // when / then
        assertThat(owner.responses().retrieve(mine.id()).id()).isEqualTo(mine.id());
        assertThatThrownBy(() -> other.responses().retrieve(mine.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> other.responses().delete(ResponseDeleteParams.builder().responseId(mine.id()).build()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> other.responses().create(ResponseCreateParams.builder().model(expert)
                .previousResponseId(mine.id()).input("And then?").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("not found");
        assertThat(UPSTREAM.calls()).isEqualTo(1);
    }

    @Test
    void should_hold_a_key_to_its_models_its_max_tokens_and_its_token_budget() {
        // given
        String granted = newApiKey("{\"name\": \"responses-granted\", \"models\": [\"" + expert + "\"],"
                + " \"max_tokens\": 100, \"tokens_per_minute\": 5}");
        String other = "{\"model\": \"consilium/auto\", \"input\": \"hi\"}";
        String tooLong = "{\"model\": \"" + expert + "\", \"input\": \"hi\", \"max_output_tokens\": 500}";
        String fine = "{\"model\": \"" + expert + "\", \"input\": \"hi\"}";

        // when
        HttpResponse<String> forbidden = send("POST", "/v1/responses", "application/json", other, granted);
        HttpResponse<String> overCeiling = send("POST", "/v1/responses", "application/json", tooLong, granted);
        HttpResponse<String> first = send("POST", "/v1/responses", "application/json", fine, granted);
        int ceilingSent = UPSTREAM.lastRequestBody().path("max_tokens").asInt();
        HttpResponse<String> second = send("POST", "/v1/responses", "application/json", fine, granted);

        // then: the first answer used more than the budget of 5 tokens, so the second finds it spent
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(overCeiling.statusCode()).isEqualTo(400);
        assertThat(json(overCeiling).path("error").path("param").asString()).isEqualTo("max_output_tokens");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(ceilingSent).isEqualTo(100);
        assertThat(json(first).path("usage").path("total_tokens").asInt()).isGreaterThan(5);
        assertThat(second.statusCode()).isEqualTo(429);
    }

    @Test
    void should_stream_a_function_call_as_argument_deltas() {
        // when
        List<ResponseStreamEvent> events;
        try (StreamResponse<ResponseStreamEvent> stream = openAi.responses().createStreaming(
                ask("What is the weather in Quito?").addTool(weatherTool()).build())) {
            events = stream.stream().toList();
        }

        // then
        assertThat(events).anyMatch(ResponseStreamEvent::isFunctionCallArgumentsDelta);
        String arguments = events.stream().flatMap(event -> event.functionCallArgumentsDone().stream())
                .map(done -> done.arguments()).findFirst().orElseThrow();
        Response completed = events.getLast().completed().orElseThrow().response();
        ResponseFunctionToolCall call = completed.output().stream().flatMap(item -> item.functionCall().stream())
                .findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).isEqualTo(arguments);
        assertThat(JSON.readTree(arguments).has("city")).isTrue();
        assertThat(call.callId()).isNotEmpty();
    }

    @Test
    void should_end_a_stream_that_breaks_with_response_failed() {
        // given
        UPSTREAM.enqueue(FakeOpenAiUpstream.Reply.streamThenDrop(List.of("The first words")));

        // when
        List<ResponseStreamEvent> events;
        try (StreamResponse<ResponseStreamEvent> stream = openAi.responses().createStreaming(
                ask("Break please").build())) {
            events = stream.stream().toList();
        }

        // then
        assertThat(events.getFirst().isCreated()).isTrue();
        assertThat(events.getLast().isFailed()).isTrue();
        Response failed = events.getLast().failed().orElseThrow().response();
        assertThat(failed.status()).contains(ResponseStatus.FAILED);
        assertThat(failed.error().orElseThrow().message()).isNotEmpty();
        assertThatThrownBy(() -> openAi.responses().retrieve(failed.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void should_route_and_fuse_with_the_consilium_metadata_on_the_response() {
        // given
        JsonValue options = JsonValue.from(Map.of("experts", Map.of("allow", List.of(expert)), "k", 1, "fusion", "best"));

        // when
        Response routed = openAi.responses().create(ResponseCreateParams.builder().model("consilium/route")
                .input("Tell me about Lima.").putAdditionalBodyProperty("consilium", options).build());
        Response auto = openAi.responses().create(ResponseCreateParams.builder().model("consilium/auto")
                .input("Tell me about Lima.").putAdditionalBodyProperty("consilium", options).build());
        List<ResponseStreamEvent> streamedAuto;
        try (StreamResponse<ResponseStreamEvent> stream = openAi.responses().createStreaming(ResponseCreateParams.builder()
                .model("consilium/auto").input("Tell me about Cusco.").putAdditionalBodyProperty("consilium", options)
                .build())) {
            streamedAuto = stream.stream().toList();
        }

        // then
        assertThat(text(routed)).isEqualTo("echo: Tell me about Lima.");
        assertThat(routed.model().asString()).isEqualTo("consilium/route");
        assertThat(consilium(routed).path("experts").path(0).path("id").asString()).isEqualTo(expert);
        assertThat(consilium(routed).path("skills").isArray()).isTrue();
        assertThat(text(auto)).isEqualTo("echo: Tell me about Lima.");
        // One expert answered, so there was nothing to fuse.
        assertThat(consilium(auto).path("fusion").asString()).isEqualTo("none");
        assertThat(consilium(auto).path("experts").path(0).path("id").asString()).isEqualTo(expert);
        assertThat(auto.model().asString()).isEqualTo("consilium/auto");
        Response completed = streamedAuto.getLast().completed().orElseThrow().response();
        assertThat(text(completed)).isEqualTo("echo: Tell me about Cusco.");
        assertThat(consilium(completed).path("experts").path(0).path("id").asString()).isEqualTo(expert);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "reasoning                | \"reasoning\": {\"effort\": \"low\"}                                   | reasoning",
            "background               | \"background\": true                                                 | background",
            "include                  | \"include\": [\"reasoning.encrypted_content\"]                       | include",
            "truncation               | \"truncation\": \"auto\"                                             | truncation",
            "conversation             | \"conversation\": \"conv_1\"                                         | conversation",
            "prompt                   | \"prompt\": {\"id\": \"pmpt_1\"}                                     | prompt",
            "built-in tool            | \"tools\": [{\"type\": \"web_search\"}]                              | tools[0].type",
            "unknown item type        | \"input\": [{\"type\": \"reasoning\", \"summary\": []}]              | input[0].type",
            "unknown part type        | \"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"input_file\"}]}] | input[0].content[0].type",
            "bad role                 | \"input\": [{\"role\": \"robot\", \"content\": \"hi\"}]              | input[0].role",
            "call without output      | \"input\": [{\"type\": \"function_call_output\", \"call_id\": \"c\"}] | input[0].output",
            "bad text format          | \"text\": {\"format\": {\"type\": \"yaml\"}}                         | text.format.type",
            "text verbosity           | \"text\": {\"verbosity\": \"low\"}                                   | text.verbosity",
            "bad tool choice          | \"tool_choice\": \"sometimes\"                                       | tool_choice",
            "temperature out of range | \"temperature\": 3                                                   | temperature",
            "zero max tokens          | \"max_output_tokens\": 0                                             | max_output_tokens",
            "input not a list         | \"input\": 42                                                        | input",
            "metadata not strings     | \"metadata\": {\"n\": 1}                                             | metadata.n",
    })
    void should_refuse_a_field_it_does_not_serve_naming_it(String name, String field, String param) {
        // given
        String body = "{\"model\": \"" + expert + "\", \"input\": \"hi\", " + field + "}";
        body = body.replace("\"input\": \"hi\", \"input\"", "\"input\"");

        // when
        HttpResponse<String> response = postJson("/v1/responses", body);

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).path("error").path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(json(response).path("error").path("param").asString()).isEqualTo(param);
        assertThat(UPSTREAM.calls()).isZero();
    }

    @Test
    void should_refuse_a_request_without_input() {
        // when
        HttpResponse<String> response = postJson("/v1/responses", "{\"model\": \"" + expert + "\"}");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").path("param").asString()).isEqualTo("input");
    }
}
