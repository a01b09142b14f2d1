package io.consilium.router.responses;

import static io.consilium.router.responses.ResponsesSdk.assertOneMessageSequence;
import static io.consilium.router.responses.ResponsesSdk.consilium;
import static io.consilium.router.responses.ResponsesSdk.streamedText;
import static io.consilium.router.responses.ResponsesSdk.text;
import static io.consilium.router.responses.ResponsesSdk.weatherTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseIncludable;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import io.consilium.registry.ExpertApi;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/responses} forwarded natively, through the official OpenAI Java SDK, to an expert whose endpoint
 * serves the Responses API: the request reaches the upstream's {@code /responses} as it is (the conversation
 * expanded by Consilium, {@code store: false}), and the upstream's answer comes back as Consilium's response,
 * whole or as its event stream. An expert on the same upstream that does not declare the API still gets Chat
 * Completions.
 */
class NativeResponsesIT extends RunningService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.startHonouringContract(Duration.ofMillis(2));

    private String forwarding;
    private String translating;

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @BeforeEach
    void registerExperts() {
        UPSTREAM.reset();
        forwarding = registerRemote(UPSTREAM.baseUrl(),
                expert -> expert.apis(EnumSet.of(ExpertApi.CHAT_COMPLETIONS, ExpertApi.RESPONSES))).id();
        translating = registerRemote(UPSTREAM.baseUrl()).id();
    }

    private ResponseCreateParams.Builder ask(String input) {
        return ResponseCreateParams.builder().model(forwarding).input(input);
    }

    private static JsonNode sent() {
        return UPSTREAM.lastRequestBody();
    }

    private List<ResponseStreamEvent> streamed(ResponseCreateParams params) {
        try (StreamResponse<ResponseStreamEvent> stream = openAi.responses().createStreaming(params)) {
            return stream.stream().toList();
        }
    }

    @Test
    void should_forward_a_whole_request_to_the_upstreams_responses_endpoint_and_answer_as_consilium() {
        // when
        HttpResponseFor<Response> raw = openAi.responses().withRawResponse().create(ask("Hello there")
                .instructions("Be brief.").temperature(0.2).maxOutputTokens(200L)
                .metadata(ResponseCreateParams.Metadata.builder().putAdditionalProperty("ticket", JsonValue.from("T-9"))
                        .build())
                .build());
        Response response = raw.parse();

        // then: the upstream got the request in its own API, and kept nothing
        assertThat(UPSTREAM.lastReceived().path()).isEqualTo("/v1/responses");
        assertThat(sent().path("model").asString()).isEqualTo("upstream-model-name");
        assertThat(sent().path("instructions").asString()).isEqualTo("Be brief.");
        assertThat(sent().path("input").toString()).isEqualTo("[{\"type\":\"message\",\"role\":\"user\",\"content\":"
                + "[{\"type\":\"input_text\",\"text\":\"Hello there\"}]}]");
        assertThat(sent().path("store").asBoolean(true)).isFalse();
        assertThat(sent().path("max_output_tokens").asInt()).isEqualTo(200);
        assertThat(sent().path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent().has("metadata")).isFalse();
        assertThat(sent().has("consilium")).isFalse();
        // and the client got Consilium's response, the SDK parsing it whole
        response.validate();
        assertThat(response.id()).startsWith("resp_").doesNotContain("fake");
        assertThat(response.model().asString()).isEqualTo(forwarding);
        assertThat(response.status()).contains(ResponseStatus.COMPLETED);
        assertThat(text(response)).isEqualTo("echo: Hello there");
        assertThat(response.output().getFirst().message().orElseThrow().id()).startsWith("msg_").doesNotContain("fake");
        assertThat(response.instructions().orElseThrow().asString()).isEqualTo("Be brief.");
        assertThat(response.metadata().orElseThrow()._additionalProperties().get("ticket").asString()).contains("T-9");
        assertThat(response.usage().orElseThrow().inputTokens()).isPositive();
        assertThat(response.usage().orElseThrow().outputTokens()).isPositive();
        JsonNode metadata = consilium(response);
        assertThat(metadata.path("experts").path(0).path("id").asString()).isEqualTo(forwarding);
        assertThat(metadata.path("experts").path(0).path("prompt_tokens").asLong())
                .isEqualTo(response.usage().orElseThrow().inputTokens());
        assertThat(metadata.path("completion_id").asString()).isNotEmpty();
        assertThat(raw.headers().values("x-consilium-experts")).containsExactly(forwarding);
        assertThat(raw.headers().values("x-consilium-overhead-ms")).hasSize(1);
        assertThat(openAi.responses().retrieve(response.id()).output().getFirst().message().orElseThrow().id())
                .isEqualTo(response.output().getFirst().message().orElseThrow().id());
    }

    @Test
    void should_relay_the_upstreams_event_sequence_as_consilium_events_and_store_the_completed_response() {
        // when
        List<ResponseStreamEvent> events = streamed(ask("Stream me a sentence").build());

        // then
        assertThat(UPSTREAM.lastReceived().path()).isEqualTo("/v1/responses");
        assertThat(sent().path("stream").asBoolean()).isTrue();
        assertOneMessageSequence(events);
        int last = events.size() - 1;
        String streamed = streamedText(events);
        Response created = events.getFirst().created().orElseThrow().response();
        Response completed = events.get(last).completed().orElseThrow().response();
        completed.validate();
        assertThat(created.id()).isEqualTo(completed.id()).doesNotContain("fake");
        assertThat(streamed).isEqualTo("echo: Stream me a sentence").isEqualTo(text(completed));
        String itemId = events.get(2).outputItemAdded().orElseThrow().item().message().orElseThrow().id();
        assertThat(events.get(4).outputTextDelta().orElseThrow().itemId()).isEqualTo(itemId);
        assertThat(completed.output().getFirst().message().orElseThrow().id()).isEqualTo(itemId).doesNotContain("fake");
        assertThat(completed.usage().orElseThrow().totalTokens()).isPositive();
        assertThat(consilium(completed).path("experts").path(0).path("id").asString()).isEqualTo(forwarding);
        assertThat(consilium(completed).path("experts").path(0).path("completion_tokens").asLong())
                .isEqualTo(completed.usage().orElseThrow().outputTokens());
        assertThat(openAi.responses().retrieve(completed.id()).id()).isEqualTo(completed.id());
    }

    @Test
    void should_make_a_function_call_and_send_its_output_back_natively_in_a_continuation() {
        // given
        Response call = openAi.responses().create(ask("What is the weather in Lima?").addTool(weatherTool()).build());
        ResponseFunctionToolCall functionCall = call.output().stream().flatMap(item -> item.functionCall().stream())
                .findFirst().orElseThrow();
        assertThat(functionCall.name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(functionCall.arguments()).has("city")).isTrue();
        assertThat(sent().path("tools").path(0).path("name").asString()).isEqualTo("get_weather");

        // when
        Response answer = openAi.responses().create(ResponseCreateParams.builder().model(forwarding)
                .previousResponseId(call.id()).addTool(weatherTool())
                .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput
                        .builder().callId(functionCall.callId()).output("{\"celsius\": 21}").build())))
                .build());

        // then: the upstream got the whole exchange as input items, and no reference to a response it never kept
        assertThat(text(answer)).isEqualTo("The tool returned: get_weather → {\"celsius\": 21}");
        assertThat(answer.output()).noneMatch(ResponseOutputItem::isFunctionCall);
        assertThat(answer.previousResponseId()).contains(call.id());
        JsonNode input = sent().path("input");
        assertThat(input.valueStream().map(item -> item.path("type").asString()).toList())
                .containsExactly("message", "function_call", "function_call_output");
        assertThat(input.path(1).path("call_id").asString()).isEqualTo(functionCall.callId());
        assertThat(input.path(2).path("output").asString()).isEqualTo("{\"celsius\": 21}");
        assertThat(input.valueStream()).noneMatch(item -> item.has("id"));
        assertThat(sent().has("previous_response_id")).isFalse();
    }

    @Test
    void should_continue_a_stored_response_natively_by_sending_the_earlier_turns_as_input() {
        // given
        Response first = openAi.responses().create(ask("My name is Ada.").instructions("Answer in French.").build());

        // when
        Response second = openAi.responses().create(ResponseCreateParams.builder().model(forwarding)
                .previousResponseId(first.id()).input("What is my name?").build());

        // then
        assertThat(second.previousResponseId()).contains(first.id());
        assertThat(sent().has("previous_response_id")).isFalse();
        assertThat(sent().has("instructions")).as("instructions are not carried over, as OpenAI does").isFalse();
        JsonNode input = sent().path("input");
        assertThat(input).hasSize(3);
        assertThat(input.path(0).path("content").path(0).path("text").asString()).isEqualTo("My name is Ada.");
        assertThat(input.path(1).path("role").asString()).isEqualTo("assistant");
        assertThat(input.path(1).path("content").path(0).path("text").asString()).isEqualTo("echo: My name is Ada.");
        assertThat(input.path(2).path("content").path(0).path("text").asString()).isEqualTo("What is my name?");
        JsonNode items = json(send("GET", "/v1/responses/" + second.id() + "/input_items?order=asc", null, null));
        assertThat(items.path("data")).hasSize(3);
    }

    @Test
    void should_pass_json_mode_through_as_text_format_and_answer_json() {
        // when
        Response response = openAi.responses().create(ask("Give me a JSON object about Lima.")
                .text(ResponseTextConfig.builder().format(ResponseFormatJsonObject.builder().build()).build()).build());

        // then
        assertThat(sent().path("text").path("format").path("type").asString()).isEqualTo("json_object");
        assertThat(sent().has("response_format")).isFalse();
        assertThat(JSON.readTree(text(response)).path("answer").asString()).isEqualTo("echo: Give me a JSON object about Lima.");
    }

    @Test
    void should_forward_reasoning_natively_and_send_the_sealed_reasoning_back_on_continuation() {
        // given: reasoning is refused on the translated path, which could not carry it
        HttpResponse<String> translated = postJson("/v1/responses", "{\"model\": \"" + translating
                + "\", \"input\": \"hi\", \"reasoning\": {\"effort\": \"low\"}}");

        // when
        Response first = openAi.responses().create(ask("Think first.")
                .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).build())
                .include(List.of(ResponseIncludable.REASONING_ENCRYPTED_CONTENT)).build());
        Response second = openAi.responses().create(ResponseCreateParams.builder().model(forwarding)
                .previousResponseId(first.id()).input("And then?")
                .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).build()).build());
        JsonNode forwardedInput = sent().path("input");
        Response elsewhere = openAi.responses().create(ResponseCreateParams.builder().model(translating)
                .previousResponseId(first.id()).input("And elsewhere?").build());

        // then
        assertThat(translated.statusCode()).isEqualTo(400);
        assertThat(json(translated).path("error").path("param").asString()).isEqualTo("reasoning");
        assertThat(first.output().getFirst().isReasoning()).isTrue();
        assertThat(first.output().getFirst().reasoning().orElseThrow().id()).startsWith("rs_").doesNotContain("fake");
        assertThat(text(second)).isEqualTo("echo: And then?");
        JsonNode reasoning = forwardedInput.path(1);
        assertThat(reasoning.path("type").asString()).isEqualTo("reasoning");
        assertThat(reasoning.path("encrypted_content").asString()).startsWith("sealed-");
        // a translated expert carries the conversation on without the reasoning, which chat has no place for
        assertThat(text(elsewhere)).isEqualTo("echo: And elsewhere?");
        assertThat(UPSTREAM.lastReceived().path()).isEqualTo("/v1/chat/completions");
        assertThat(sent().path("messages").valueStream().map(message -> message.path("role").asString()).toList())
                .containsExactly("user", "assistant", "user");
    }

    @Test
    void should_choose_per_expert_between_the_responses_endpoint_and_the_chat_translation() {
        // when
        Response forwarded = openAi.responses().create(ask("Which way?").build());
        String forwardedPath = UPSTREAM.lastReceived().path();
        Response translatedResponse = openAi.responses().create(ResponseCreateParams.builder().model(translating)
                .input("Which way?").build());
        String translatedPath = UPSTREAM.lastReceived().path();
        JsonNode models = json(send("GET", "/v1/models", null, null)).path("data");

        // then
        assertThat(forwardedPath).isEqualTo("/v1/responses");
        assertThat(translatedPath).isEqualTo("/v1/chat/completions");
        assertThat(text(forwarded)).isEqualTo(text(translatedResponse)).isEqualTo("echo: Which way?");
        assertThat(models.valueStream().filter(model -> List.of(forwarding, translating).contains(model.path("id").asString())))
                .hasSize(2).allSatisfy(model -> assertThat(model.path("endpoints").valueStream().map(JsonNode::asString))
                        .contains("/v1/responses", "/v1/chat/completions"));
    }

    @Test
    void should_map_an_upstream_refusal_and_failure_to_the_responses_error_shape() {
        // given
        UPSTREAM.enqueue(FakeOpenAiUpstream.Reply.error(400, "Invalid value for 'temperature'."));
        UPSTREAM.answerWith(FakeOpenAiUpstream.Reply.error(500, "the upstream broke"));

        // when / then
        assertThatThrownBy(() -> openAi.responses().create(ask("Refuse me").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.type()).contains("invalid_request_error");
                    assertThat(e.code()).contains("upstream_rejected_request");
                    assertThat(e.getMessage()).contains("Invalid value for 'temperature'.");
                });
        assertThatThrownBy(() -> openAi.responses().create(ask("Fail me").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.type()).contains("upstream_error");
                });
        assertThat(UPSTREAM.received()).allSatisfy(received -> assertThat(received.path()).isEqualTo("/v1/responses"));
    }

    @Test
    void should_end_a_stream_that_fails_upstream_with_response_failed_and_keep_nothing() {
        // given
        UPSTREAM.enqueue(FakeOpenAiUpstream.Reply.responsesStreamThenFail("Half an ", "the model crashed"));

        // when
        List<ResponseStreamEvent> events = streamed(ask("Break please").build());

        // then
        assertThat(events.getFirst().isCreated()).isTrue();
        assertThat(events).anyMatch(ResponseStreamEvent::isOutputTextDelta);
        assertThat(events.getLast().isFailed()).isTrue();
        Response failed = events.getLast().failed().orElseThrow().response();
        assertThat(failed.id()).isEqualTo(events.getFirst().created().orElseThrow().response().id());
        assertThat(failed.status()).contains(ResponseStatus.FAILED);
        assertThat(failed.error().orElseThrow().message()).contains("the model crashed");
        assertThatThrownBy(() -> openAi.responses().retrieve(failed.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void should_hold_a_forwarded_request_to_its_keys_max_tokens_and_token_budget() {
        // given
        String granted = newApiKey("{\"name\": \"native-granted\", \"models\": [\"" + forwarding + "\"],"
                + " \"max_tokens\": 100, \"tokens_per_minute\": 5}");
        String fine = "{\"model\": \"" + forwarding + "\", \"input\": \"hi\"}";

        // when
        HttpResponse<String> first = send("POST", "/v1/responses", "application/json", fine, granted);
        int ceilingSent = sent().path("max_output_tokens").asInt();
        HttpResponse<String> second = send("POST", "/v1/responses", "application/json", fine, granted);

        // then: the first answer used more than the budget of 5 tokens, so the second finds it spent
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(ceilingSent).isEqualTo(100);
        assertThat(json(first).path("usage").path("total_tokens").asInt()).isGreaterThan(5);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(UPSTREAM.calls()).isEqualTo(1);
    }

    @Test
    void should_refuse_what_needs_state_or_tools_at_the_upstreams_provider_even_when_forwarding() {
        // when
        HttpResponse<String> background = postJson("/v1/responses", "{\"model\": \"" + forwarding
                + "\", \"input\": \"hi\", \"background\": true}");
        HttpResponse<String> webSearch = postJson("/v1/responses", "{\"model\": \"" + forwarding
                + "\", \"input\": \"hi\", \"tools\": [{\"type\": \"web_search\"}]}");

        // then
        assertThat(background.statusCode()).isEqualTo(400);
        assertThat(json(background).path("error").path("param").asString()).isEqualTo("background");
        assertThat(webSearch.statusCode()).isEqualTo(400);
        assertThat(json(webSearch).path("error").path("param").asString()).isEqualTo("tools[0].type");
        assertThat(UPSTREAM.calls()).isZero();
    }
}
