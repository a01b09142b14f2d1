package io.consilium.router.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.ImageBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import io.consilium.registry.Cost;
import io.consilium.registry.Expert;
import io.consilium.registry.Modality;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RunningService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/messages} through the official Anthropic Java client, with a Consilium key as its API key
 * (sent as {@code x-api-key}), and an OpenAI-compatible expert behind that follows the chat contract and
 * records what it received.
 */
class AnthropicMessagesIT extends RunningService {

    private static final Duration PACE = Duration.ofMillis(2);
    /** A 1×1 transparent PNG. */
    private static final String PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    private static FakeOpenAiUpstream upstream;
    private AnthropicClient anthropic;
    private Expert expert;

    @BeforeAll
    static void startUpstream() {
        upstream = FakeOpenAiUpstream.startHonouringContract(PACE);
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @BeforeEach
    void connect() {
        upstream.reset();
        expert = registerRemote(upstream.baseUrl(), builder -> builder.modalities(List.of(Modality.TEXT, Modality.IMAGE)));
        anthropic = client(ADMIN_KEY);
    }

    private AnthropicClient client(String key) {
        return AnthropicOkHttpClient.builder().baseUrl(baseUrl()).apiKey(key).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    private MessageCreateParams.Builder ask(String model, String text) {
        return MessageCreateParams.builder().model(model).maxTokens(200).addUserMessage(text);
    }

    @Test
    void should_answer_a_message_for_an_expert_in_anthropics_shape() {
        // when
        HttpResponseFor<Message> response = anthropic.messages().withRawResponse()
                .create(ask(expert.id(), "Hello there").build());
        Message message = response.parse();

        // then
        assertThat(message.id()).startsWith("msg_");
        assertThat(message.model().asString()).isEqualTo(expert.id());
        assertThat(message.content()).hasSize(1);
        assertThat(message.content().getFirst().asText().text()).isEqualTo("echo: Hello there");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.stopSequence()).isEmpty();
        assertThat(message.usage().inputTokens()).isPositive();
        assertThat(message.usage().outputTokens()).isPositive();
        assertThat(response.headers().values("x-consilium-experts")).containsExactly(expert.id());
        JsonNode consilium = tree(message._additionalProperties().get("consilium"));
        assertThat(consilium.path("experts").path(0).path("id").asString()).isEqualTo(expert.id());
        assertThat(consilium.path("completion_id").asString()).startsWith("chatcmpl-");
        assertThat(upstream.lastRequestBody().path("max_tokens").asInt()).isEqualTo(200);
    }

    @Test
    void should_stream_anthropics_event_sequence() {
        // given
        List<String> types = new ArrayList<>();
        MessageAccumulator accumulator = MessageAccumulator.create();

        // when
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages()
                .createStreaming(ask(expert.id(), "Stream this answer please").build())) {
            stream.stream().forEach(event -> {
                types.add(type(event));
                accumulator.accumulate(event);
            });
        }

        // then
        Message message = accumulator.message();
        assertThat(types.getFirst()).isEqualTo("message_start");
        assertThat(types.get(1)).isEqualTo("content_block_start");
        assertThat(types.subList(types.size() - 3, types.size()))
                .containsExactly("content_block_stop", "message_delta", "message_stop");
        assertThat(types.stream().filter("content_block_delta"::equals).count()).isGreaterThan(1);
        assertThat(message.content().getFirst().asText().text()).isEqualTo("echo: Stream this answer please");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().outputTokens()).isPositive();
    }

    @Test
    void should_make_a_tool_round_trip() {
        // given
        MessageCreateParams.Builder request = ask(expert.id(), "What is the weather in Paris?").addTool(weatherTool());

        // when
        Message call = anthropic.messages().create(request.build());
        ToolUseBlock use = call.content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow().asToolUse();
        Message answer = anthropic.messages().create(request.addMessage(call)
                .addUserMessageOfBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId(use.id()).content("18 degrees and sunny").build())))
                .build());

        // then
        assertThat(call.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(use.name()).isEqualTo("get_weather");
        assertThat(JSON.valueToTree(use._input()).has("city")).isTrue();
        assertThat(answer.content().getFirst().asText().text()).contains("18 degrees and sunny");
        JsonNode sent = upstream.lastRequestBody().path("messages");
        JsonNode toolMessage = sent.get(sent.size() - 1);
        assertThat(toolMessage.path("role").asString()).isEqualTo("tool");
        assertThat(toolMessage.path("tool_call_id").asString()).isEqualTo(use.id());
        assertThat(sent.get(sent.size() - 2).path("tool_calls").path(0).path("function").path("name").asString())
                .isEqualTo("get_weather");
    }

    @Test
    void should_stream_a_tool_use_as_input_json_deltas() {
        // given
        List<String> deltas = new ArrayList<>();
        MessageAccumulator accumulator = MessageAccumulator.create();

        // when
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages()
                .createStreaming(ask(expert.id(), "Weather in Oslo?").addTool(weatherTool()).build())) {
            stream.stream().forEach(event -> {
                event.contentBlockDelta().ifPresent(delta -> deltas.add(delta.delta().isInputJson() ? "input_json_delta"
                        : delta.delta().isText() ? "text_delta" : "other"));
                accumulator.accumulate(event);
            });
        }

        // then
        Message message = accumulator.message();
        assertThat(deltas).contains("input_json_delta");
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        ToolUseBlock use = message.content().getFirst().asToolUse();
        assertThat(use.name()).isEqualTo("get_weather");
        assertThat(JSON.valueToTree(use._input()).has("city")).isTrue();
    }

    @Test
    void should_send_system_blocks_stop_sequences_and_sampling_to_the_expert() {
        // when
        anthropic.messages().create(ask(expert.id(), "Hi")
                .system(MessageCreateParams.System.ofTextBlockParams(List.of(
                        TextBlockParam.builder().text("You are terse.").build(),
                        TextBlockParam.builder().text("Answer in French.").build())))
                .stopSequences(List.of("STOP", "END"))
                .temperature(0.3)
                .topP(0.9)
                .build());

        // then
        JsonNode sent = upstream.lastRequestBody();
        assertThat(upstream.lastSystemText()).isEqualTo("You are terse.\n\nAnswer in French.");
        assertThat(sent.path("stop").valueStream().map(JsonNode::asString).toList()).containsExactly("STOP", "END");
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(sent.path("top_p").asDouble()).isEqualTo(0.9);
    }

    @Test
    void should_send_image_content_as_a_chat_image_part() {
        // when
        Message message = anthropic.messages().create(MessageCreateParams.builder().model(expert.id()).maxTokens(50)
                .addUserMessageOfBlockParams(List.of(
                        ContentBlockParam.ofImage(ImageBlockParam.builder().source(Base64ImageSource.builder()
                                .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).data(PIXEL).build()).build()),
                        ContentBlockParam.ofText(TextBlockParam.builder().text("What is in this picture?").build())))
                .build());

        // then
        JsonNode parts = upstream.lastRequestBody().path("messages").path(0).path("content");
        assertThat(parts.path(0).path("type").asString()).isEqualTo("image_url");
        assertThat(parts.path(0).path("image_url").path("url").asString()).isEqualTo("data:image/png;base64," + PIXEL);
        assertThat(parts.path(1).path("text").asString()).isEqualTo("What is in this picture?");
        assertThat(message.content().getFirst().asText().text()).isEqualTo("echo: What is in this picture?");
    }

    @Test
    void should_answer_for_the_virtual_models_with_consilium_metadata() {
        // given
        JsonValue onlyThisExpert = JsonValue.from(Map.of("experts", Map.of("allow", List.of(expert.id()))));

        // when
        HttpResponseFor<Message> routed = anthropic.messages().withRawResponse().create(ask("consilium/route", "Route me")
                .putAdditionalBodyProperty("consilium", onlyThisExpert).build());
        List<RawMessageStreamEvent> events = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(ask("consilium/auto",
                "Fuse me").putAdditionalBodyProperty("consilium", onlyThisExpert).build())) {
            stream.stream().forEach(events::add);
        }

        // then
        Message message = routed.parse();
        assertThat(message.model().asString()).isEqualTo("consilium/route");
        assertThat(message.content().getFirst().asText().text()).isEqualTo("echo: Route me");
        assertThat(routed.headers().values("x-consilium-experts")).containsExactly(expert.id());
        JsonNode consilium = tree(message._additionalProperties().get("consilium"));
        assertThat(consilium.path("strategy").isString()).isTrue();
        assertThat(consilium.path("experts").path(0).path("id").asString()).isEqualTo(expert.id());
        JsonNode streamed = events.stream().flatMap(event -> event.messageDelta().stream())
                .map(delta -> tree(delta._additionalProperties().get("consilium"))).findFirst().orElseThrow();
        assertThat(streamed.path("experts").path(0).path("id").asString()).isEqualTo(expert.id());
        String text = events.stream().flatMap(event -> event.contentBlockDelta().stream())
                .flatMap(delta -> delta.delta().text().stream()).map(delta -> delta.text()).reduce("", String::concat);
        assertThat(text).isEqualTo("echo: Fuse me");
    }

    @Test
    void should_refuse_unsupported_fields_naming_them_in_anthropics_shape() {
        // when / then
        assertThatThrownBy(() -> anthropic.messages().create(ask(expert.id(), "Think")
                .putAdditionalBodyProperty("thinking", JsonValue.from(Map.of("type", "enabled", "budget_tokens", 1024)))
                .build()))
                .isInstanceOfSatisfying(BadRequestException.class, refused -> assertAnthropicError(refused,
                        "invalid_request_error", "'thinking'"));
        assertThatThrownBy(() -> anthropic.messages().create(ask(expert.id(), "Sample").topK(5).build()))
                .isInstanceOfSatisfying(BadRequestException.class, refused -> assertAnthropicError(refused,
                        "invalid_request_error", "'top_k'"));
        HttpResponse<String> document = messages(ADMIN_KEY, "{\"model\": \"" + expert.id() + "\", \"max_tokens\": 10,"
                + " \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"document\", \"source\": {}}]}]}");
        assertRawAnthropicError(document, 400, "invalid_request_error", "messages[0].content[0].type");
        HttpResponse<String> noMaxTokens = messages(ADMIN_KEY, "{\"model\": \"" + expert.id() + "\","
                + " \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        assertRawAnthropicError(noMaxTokens, 400, "invalid_request_error", "max_tokens");
        assertThatThrownBy(() -> anthropic.messages().create(ask("no-such-model", "Hi").build()))
                .isInstanceOfSatisfying(NotFoundException.class, refused -> assertAnthropicError(refused,
                        "not_found_error", "no-such-model"));
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void should_refuse_a_wrong_key_sent_as_x_api_key_before_any_work() {
        // when / then
        assertThatThrownBy(() -> client("sk-wrong").messages().create(ask(expert.id(), "Hi").build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, refused -> assertAnthropicError(refused,
                        "authentication_error", "API key"));
        assertRawAnthropicError(messages(null, "{}"), 401, "authentication_error", "x-api-key");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void should_refuse_two_different_keys() {
        // when
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/messages"))
                .header("content-type", "application/json").header("x-api-key", ADMIN_KEY)
                .header("authorization", "Bearer sk-other")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        // then
        assertRawAnthropicError(response, 401, "authentication_error", "two different keys");
    }

    @Test
    void should_take_x_api_key_on_the_messages_endpoint_only() {
        // when
        HttpResponse<String> chat = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("x-api-key", ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + expert.id() + "\","
                        + " \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")));
        HttpResponse<String> admin = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/api/keys"))
                .header("x-api-key", ADMIN_KEY).GET());

        // then: both refused as having no key, in the OpenAI shape of those endpoints
        assertThat(chat.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(chat.body()).path("error").path("code").asString()).isEqualTo("missing_api_key");
        assertThat(admin.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(admin.body()).path("error").path("code").asString()).isEqualTo("missing_admin_key");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void should_refuse_a_model_the_key_is_not_granted() {
        // given
        Expert other = registerRemote(upstream.baseUrl());
        String key = json(send("POST", "/admin/api/keys", "application/json",
                "{\"name\": \"messages-one-model\", \"models\": [\"" + other.id() + "\"]}")).path("key").asString();

        // when / then
        Message granted = client(key).messages().create(ask(other.id(), "Granted").build());
        assertThat(granted.content().getFirst().asText().text()).isEqualTo("echo: Granted");
        assertThatThrownBy(() -> client(key).messages().create(ask(expert.id(), "Hi").build()))
                .isInstanceOfSatisfying(PermissionDeniedException.class, refused -> assertAnthropicError(refused,
                        "permission_error", expert.id()));
    }

    @Test
    void should_refuse_a_key_over_its_rate_limit_in_anthropics_shape() {
        // given
        String key = json(send("POST", "/admin/api/keys", "application/json",
                "{\"name\": \"messages-one-a-minute\", \"requests_per_minute\": 1}")).path("key").asString();
        String body = "{\"model\": \"" + expert.id() + "\", \"max_tokens\": 10,"
                + " \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";

        // when
        HttpResponse<String> first = messages(key, body);
        HttpResponse<String> second = messages(key, body);

        // then
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertRawAnthropicError(second, 429, "rate_limit_error", "");
        assertThat(second.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void should_refuse_a_key_that_spent_its_budget_in_anthropics_shape() {
        // given: $1000 per million tokens, so the first answer spends more than the key's $0.001
        Expert priced = registerRemote(upstream.baseUrl(), builder -> builder.cost(new Cost(1000, 1000)));
        String key = json(send("POST", "/admin/api/keys", "application/json",
                "{\"name\": \"messages-budget\", \"budget_usd\": 0.001}")).path("key").asString();
        client(key).messages().create(ask(priced.id(), "Hi").build());

        // when / then
        assertThatThrownBy(() -> client(key).messages().create(ask(priced.id(), "Again").build()))
                .isInstanceOfSatisfying(RateLimitException.class, refused -> {
                    assertAnthropicError(refused, "rate_limit_error", "spent its budget");
                    assertThat(refused.headers().values("retry-after")).isNotEmpty();
                });
        assertThat(upstream.calls()).isEqualTo(1);
    }

    @Test
    void should_refuse_an_oversized_body_in_anthropics_shape() {
        // given: over the test service's 64 KB limit
        String body = "{\"model\": \"" + expert.id() + "\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\","
                + " \"content\": \"" + "x".repeat(70_000) + "\"}]}";

        // when
        HttpResponse<String> response = messages(ADMIN_KEY, body);

        // then
        assertRawAnthropicError(response, 413, "request_too_large", "65536");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void should_refuse_a_content_type_that_is_not_json_in_anthropics_shape() {
        // when
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/messages"))
                .header("content-type", "text/plain").header("x-api-key", ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("hello")));

        // then
        assertRawAnthropicError(response, 415, "invalid_request_error", "application/json");
    }

    @Test
    void should_end_a_broken_stream_with_an_anthropic_error_event() {
        // given
        upstream.enqueue(FakeOpenAiUpstream.Reply.streamThenError(List.of("Half ", "an answer"), "upstream broke"));

        // when
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/messages"))
                .header("content-type", "application/json").header("x-api-key", ADMIN_KEY)
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + expert.id() + "\", \"max_tokens\": 10,"
                        + " \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("event: message_start\n").contains("event: content_block_delta\n")
                .doesNotContain("message_stop");
        String last = response.body().strip().substring(response.body().strip().lastIndexOf("event: "));
        assertThat(last).startsWith("event: error\ndata: ");
        JsonNode error = JSON.readTree(last.substring(last.indexOf("data: ") + "data: ".length()));
        assertThat(error.path("type").asString()).isEqualTo("error");
        assertThat(error.path("error").path("type").asString()).isNotBlank();
        assertThat(error.path("error").path("message").asString()).isNotBlank();
    }

    private static JsonNode tree(JsonValue value) {
        return JSON.valueToTree(value);
    }

    private static String type(RawMessageStreamEvent event) {
        if (event.isMessageStart()) {
            return "message_start";
        }
        if (event.isContentBlockStart()) {
            return "content_block_start";
        }
        if (event.isContentBlockDelta()) {
            return "content_block_delta";
        }
        if (event.isContentBlockStop()) {
            return "content_block_stop";
        }
        if (event.isMessageDelta()) {
            return "message_delta";
        }
        return event.isMessageStop() ? "message_stop" : "other";
    }

    private static Tool weatherTool() {
        return Tool.builder().name("get_weather").description("The weather in a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .required(List.of("city")).build())
                .build();
    }

    private HttpResponse<String> messages(String apiKey, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/messages"))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertAnthropicError(AnthropicServiceException refused, String type, String mentioned) {
        JsonNode body = JSON.valueToTree(refused.body());
        assertThat(body.path("type").asString()).as(body.toString()).isEqualTo("error");
        assertThat(body.path("error").path("type").asString()).as(body.toString()).isEqualTo(type);
        assertThat(body.path("error").path("message").asString()).as(body.toString()).contains(mentioned);
    }

    private static void assertRawAnthropicError(HttpResponse<String> response, int status, String type, String mentioned) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                value -> assertThat(value).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("type").asString()).as(response.body()).isEqualTo("error");
        assertThat(body.path("error").path("type").asString()).as(response.body()).isEqualTo(type);
        assertThat(body.path("error").path("message").asString()).as(response.body()).contains(mentioned);
        assertThat(body.size()).as(response.body()).isEqualTo(2);
    }
}
