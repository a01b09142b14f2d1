package io.consilium.router.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.consilium.registry.Expert;
import io.consilium.registry.Limits;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class ChatCompletionsIT extends RunningService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @BeforeEach
    void resetUpstream() {
        UPSTREAM.reset();
    }

    private static ChatCompletionCreateParams.Builder ask(Expert expert, String question) {
        return ChatCompletionCreateParams.builder().model(expert.id()).addUserMessage(question);
    }

    @Test
    void should_answer_through_the_expert_with_its_model_name_and_report_metadata() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());

        // when
        HttpResponseFor<ChatCompletion> raw = openAi.chat().completions().withRawResponse()
                .create(ask(expert, "What is 6 times 7?").build());
        ChatCompletion completion = raw.parse();

        // then
        assertThat(completion.choices().getFirst().message().content()).contains("echo: What is 6 times 7?");
        assertThat(UPSTREAM.lastReceived().body().path("model").asString()).isEqualTo("upstream-model-name");
        assertThat(raw.headers().values("x-consilium-experts")).containsExactly(expert.id());
        assertThat(raw.headers().values("x-consilium-overhead-ms")).singleElement()
                .satisfies(value -> assertThat(Long.parseLong(value)).isNotNegative());
        JsonNode metadata = JSON.readTree(JSON.writeValueAsString(
                completion._additionalProperties().get("consilium").convert(Map.class)));
        assertThat(metadata.path("experts").path(0).path("id").asString()).isEqualTo(expert.id());
        assertThat(metadata.path("experts").path(0).path("outcome").asString()).isEqualTo("ok");
        assertThat(metadata.path("experts").path(0).path("prompt_tokens").asLong()).isEqualTo(11);
        assertThat(metadata.path("fusion").asString()).isEqualTo("none");
    }

    @Test
    void should_write_a_whole_answer_as_json_with_its_length_and_headers() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());

        // when
        HttpResponse<String> response = send("POST", "/v1/chat/completions", "application/json",
                "{\"model\":\"" + expert.id() + "\",\"messages\":[{\"role\":\"user\",\"content\":\"héllo\"}]}");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValueAsLong("content-length"))
                .hasValue((long) response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(response.headers().firstValue("x-consilium-experts")).hasValue(expert.id());
        assertThat(response.headers().firstValue("x-consilium-overhead-ms")).isPresent();
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("id").asString()).startsWith("chatcmpl-");
        assertThat(body.path("choices").path(0).path("message").path("content").asString()).contains("héllo");
        assertThat(body.path("consilium").path("fusion").asString()).isEqualTo("none");
    }

    @Test
    void should_pass_fields_it_does_not_know_to_the_expert_untouched() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        ChatCompletionCreateParams params = ask(expert, "hi")
                .seed(1234L)
                .logprobs(true)
                .putAdditionalBodyProperty("x_vendor_option", JsonValue.from(Map.of("depth", 3, "mode", "fast")))
                .putAdditionalBodyProperty("response_format", JsonValue.from(Map.of("type", "json_object")))
                .build();

        // when
        openAi.chat().completions().create(params);

        // then
        JsonNode sent = UPSTREAM.lastReceived().body();
        assertThat(sent.path("seed").asLong()).isEqualTo(1234L);
        assertThat(sent.path("logprobs").asBoolean()).isTrue();
        assertThat(sent.path("x_vendor_option").path("depth").asInt()).isEqualTo(3);
        assertThat(sent.path("x_vendor_option").path("mode").asString()).isEqualTo("fast");
        assertThat(sent.path("response_format").path("type").asString()).isEqualTo("json_object");
        assertThat(UPSTREAM.lastReceived().headers()).containsKey("authorization");
    }

    @Test
    void should_prepend_the_system_prompt_of_a_prompt_expert() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl(), b -> b.systemPrompt("You are a patent lawyer."));

        // when
        openAi.chat().completions().create(ask(expert, "Can I patent a recipe?").build());

        // then
        JsonNode first = UPSTREAM.lastReceived().body().path("messages").path(0);
        assertThat(first.path("role").asString()).isEqualTo("system");
        assertThat(first.path("content").asString()).isEqualTo("You are a patent lawyer.");
    }

    @Test
    void should_forward_stream_chunks_as_they_arrive() {
        // given: the upstream sends a chunk every 300 ms
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        Duration pace = Duration.ofMillis(300);
        UPSTREAM.enqueue(Reply.stream(List.of("one ", "two ", "three ", "four"), pace));
        List<Long> arrivals = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        ChatCompletionChunk last = null;

        // when
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(
                ask(expert, "count").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                last = chunk;
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(piece -> {
                    if (!piece.isEmpty()) {
                        arrivals.add(System.nanoTime());
                        text.append(piece);
                    }
                }));
            }
        }

        // then: the pieces arrived spread out, not all together at the end
        assertThat(text.toString()).isEqualTo("one two three four");
        assertThat(arrivals).hasSize(4);
        Duration spread = Duration.ofNanos(arrivals.getLast() - arrivals.getFirst());
        assertThat(spread).isGreaterThanOrEqualTo(pace.multipliedBy(3).minusMillis(150));
        assertThat(UPSTREAM.lastReceived().body().path("stream").asBoolean()).isTrue();
        assertThat(last).isNotNull();
        assertThat(last.choices()).isEmpty();
        assertThat(last._additionalProperties()).containsKey("consilium");
    }

    @Test
    void should_end_the_stream_with_an_error_event_when_the_expert_fails_midway() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        UPSTREAM.enqueue(Reply.streamThenDrop(List.of("partial ")));
        List<String> received = new ArrayList<>();

        // when / then
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream =
                    openAi.chat().completions().createStreaming(ask(expert, "go").build())) {
                stream.stream().forEach(chunk -> chunk.choices()
                        .forEach(choice -> choice.delta().content().ifPresent(received::add)));
            }
        }).isInstanceOf(OpenAIException.class).hasMessageContaining(expert.id());
        assertThat(received).containsExactly("partial ");
    }

    @Test
    void should_refuse_images_for_a_text_only_expert_naming_it() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(expert.id())
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                        .url("data:image/png;base64,iVBORw0KGgo=").build())
                                .build())))
                .build();

        // then
        assertThatThrownBy(() -> openAi.chat().completions().create(params))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains(expert.id()).contains("image");
                });
        assertThat(UPSTREAM.calls()).isZero();
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void should_refuse_a_request_the_experts_context_cannot_hold_before_calling_it(boolean stream) {
        // given: about 2 000 tokens of text and 1 000 to write, for a context of 2 048
        Expert expert = registerRemote(UPSTREAM.baseUrl(), b -> b.limits(new Limits(4, Duration.ofSeconds(10), 2_048)));
        String body = "{\"model\": \"" + expert.id() + "\", \"stream\": " + stream + ", \"max_tokens\": 1000, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"" + "word ".repeat(1_600) + "\"}]}";

        // when
        HttpResponse<String> response = postJson("/v1/chat/completions", body);

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = json(response).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("code").asString()).isEqualTo("context_length_exceeded");
        assertThat(error.path("param").asString()).isEqualTo("messages");
        assertThat(error.path("message").asString()).contains("about 3000 tokens").contains("'" + expert.id() + "'")
                .contains("context_tokens 2048");
        assertThat(UPSTREAM.calls()).isZero();
    }

    @Test
    void should_send_images_to_an_expert_that_accepts_them() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl(), b -> b.modalityIds(List.of("text", "image")));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(expert.id())
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                        .url("https://example.com/cat.png").build())
                                .build())))
                .build();

        // when
        openAi.chat().completions().create(params);

        // then
        assertThat(UPSTREAM.lastReceived().body().path("messages").path(0).path("content").path(0)
                .path("image_url").path("url").asString()).isEqualTo("https://example.com/cat.png");
    }
}
