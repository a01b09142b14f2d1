package io.consilium.router.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.TinyDecoderModels;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local ONNX expert behind the API, as an OpenAI SDK client sees it: answers, streams, and clear refusals. */
class LocalExpertIT extends RunningService {

    @TempDir
    Path models;

    private ChatCompletionCreateParams params(String expert) {
        return ChatCompletionCreateParams.builder().model(expert).maxCompletionTokens(8).temperature(0)
                .addUserMessage("why is the sky blue ?").build();
    }

    @Test
    void should_stream_the_same_text_the_sdk_gets_unstreamed() {
        // given
        Path model = TinyDecoderModels.withKvCache(models.resolve("sdk")).directory();
        Expert expert = registry.register(Expert.builder("local-sdk").provider(Provider.ONNX).modelPath(model.toString()).build());

        // when
        ChatCompletion whole = openAi.chat().completions().create(params(expert.id()));
        List<String> pieces = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(params(expert.id()))) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(pieces::add)));
        }

        // then
        String text = whole.choices().getFirst().message().content().orElseThrow();
        assertThat(text).isNotBlank();
        assertThat(String.join("", pieces)).isEqualTo(text);
        assertThat(pieces).hasSizeGreaterThan(1);
        assertThat(whole.usage()).hasValueSatisfying(usage -> assertThat(usage.completionTokens()).isPositive());
    }

    @Test
    void should_refuse_to_register_a_directory_that_holds_no_model_naming_the_field() {
        // when
        HttpResponse<String> refused = postJson("/admin/api/experts", """
                {"id": "local-broken", "provider": "onnx", "model_path": "%s"}
                """.formatted(models.resolve("nothing-here").toString()));

        // then
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(json(refused).path("error").path("param").asString()).isEqualTo("model_path");
    }
}
