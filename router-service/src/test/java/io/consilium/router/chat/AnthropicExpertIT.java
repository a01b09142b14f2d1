package io.consilium.router.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.FakeAnthropicUpstream;
import io.consilium.registry.testing.FakeAnthropicUpstream.Reply;
import io.consilium.router.RunningService;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** An Anthropic expert behind the OpenAI API: the client never sees the difference. */
class AnthropicExpertIT extends RunningService {

    private static final FakeAnthropicUpstream UPSTREAM = FakeAnthropicUpstream.start();

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    private Expert claude(String id) {
        return registry.register(Expert.builder(id)
                .provider(Provider.ANTHROPIC)
                .baseUrl(UPSTREAM.baseUrl())
                .model("claude-test")
                .apiKey("sk-ant-secret")
                .systemPrompt("You answer like a lawyer.")
                .build());
    }

    @Test
    void should_answer_an_openai_request_through_the_messages_api() {
        // given
        Expert expert = claude("claude-direct");

        // when
        ChatCompletion answer = openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(expert.id()).addUserMessage("Is a verbal contract binding?").maxCompletionTokens(200).build());

        // then
        assertThat(answer.choices().getFirst().message().content()).contains("echo: Is a verbal contract binding?");
        assertThat(answer.usage()).hasValueSatisfying(usage -> assertThat(usage.completionTokens()).isPositive());
        FakeAnthropicUpstream.Received sent = UPSTREAM.lastReceived();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.headers()).containsEntry("x-api-key", "sk-ant-secret");
        assertThat(sent.body().path("model").asString()).isEqualTo("claude-test");
        assertThat(sent.body().path("max_tokens").asInt()).isEqualTo(200);
        assertThat(sent.body().path("system").toString()).contains("You answer like a lawyer.");
    }

    @Test
    void should_stream_anthropic_events_as_openai_chunks() {
        // given
        Expert expert = claude("claude-stream");
        UPSTREAM.enqueue(Reply.stream(List.of("Gen", "erally ", "yes."), "end_turn", Duration.ofMillis(50)));
        StringBuilder text = new StringBuilder();

        // when
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model(expert.id()).addUserMessage("Binding?").build())) {
            stream.stream().forEach(chunk -> chunk.choices()
                    .forEach(choice -> choice.delta().content().ifPresent(text::append)));
        }

        // then
        assertThat(text.toString()).isEqualTo("Generally yes.");
    }
}
