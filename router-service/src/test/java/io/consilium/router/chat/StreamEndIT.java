package io.consilium.router.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.consilium.registry.Expert;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RunningService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stream ends as OpenAI's do, with the {@code consilium} object on its last chunk rather than on an extra one
 * after it: the finish chunk, or the usage chunk when the client asked for usage. The OpenAI SDK's accumulator,
 * which takes no chunk after the one that completes the answer, accepts every stream, direct or virtual.
 */
class StreamEndIT extends RunningService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @BeforeEach
    void resetUpstream() {
        UPSTREAM.reset();
    }

    @ParameterizedTest(name = "{0}, usage asked: {1}")
    @CsvSource({"direct, false", "direct, true", "consilium/route, false", "consilium/route, true",
            "consilium/auto, false", "consilium/auto, true"})
    void should_end_every_stream_so_that_the_sdk_accumulates_it_with_the_metadata_on_the_last_chunk(String target,
            boolean usageAsked) {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        String model = "direct".equals(target) ? expert.id() : target;
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(model)
                .addUserMessage("hello")
                .putAdditionalBodyProperty("consilium", JsonValue.from("direct".equals(target) ? Map.of()
                        : Map.of("experts", Map.of("allow", List.of(expert.id())))));
        if (usageAsked) {
            params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        }
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        // when
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(params.build())) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                accumulator.accumulate(chunk);
            });
        }

        // then
        ChatCompletion completion = accumulator.chatCompletion();
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).hasValueSatisfying(text -> assertThat(text)
                .isNotBlank());
        assertThat(completion.usage().isPresent()).isEqualTo(usageAsked);
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last._additionalProperties()).containsKey("consilium");
        assertThat(chunks.subList(0, chunks.size() - 1))
                .noneSatisfy(chunk -> assertThat(chunk._additionalProperties()).containsKey("consilium"));
    }
}
