package io.consilium.router.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import io.consilium.registry.Cost;
import io.consilium.registry.Expert;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RunningService;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A streamed answer's tokens are counted whether or not its client asked for usage, and the client sees the
 * usage chunk exactly when it asked, as from OpenAI. The fake upstream honours {@code stream_options} as
 * OpenAI does: its echo streams one piece and reports 11 prompt and 1 completion token only when asked.
 */
class StreamUsageIT extends RunningService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @BeforeEach
    void resetUpstream() {
        UPSTREAM.reset();
    }

    @Test
    void should_count_tokens_and_cost_but_send_no_usage_chunk_when_the_client_did_not_ask() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl(), b -> b.cost(new Cost(1.0, 2.0)));
        double promptBefore = scraped("consilium_expert_tokens_total", expert, "kind=\"prompt\"");
        double completionBefore = scraped("consilium_expert_tokens_total", expert, "kind=\"completion\"");
        double costBefore = scraped("consilium_expert_cost_usd_total", expert, null);

        // when
        List<ChatCompletionChunk> chunks = stream(ChatCompletionCreateParams.builder().model(expert.id())
                .addUserMessage("hello").build());

        // then
        assertThat(chunks).isNotEmpty();
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.usage()).isEmpty());
        assertThat(UPSTREAM.lastRequestBody().path("stream_options").path("include_usage").asBoolean(false)).isTrue();
        assertThat(scraped("consilium_expert_tokens_total", expert, "kind=\"prompt\"") - promptBefore).isEqualTo(11);
        assertThat(scraped("consilium_expert_tokens_total", expert, "kind=\"completion\"") - completionBefore).isEqualTo(1);
        assertThat(scraped("consilium_expert_cost_usd_total", expert, null) - costBefore)
                .isEqualTo(expert.cost().priceOf(11, 1));
    }

    @Test
    void should_send_the_usage_chunk_with_the_upstreams_numbers_when_the_client_asked() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());

        // when
        List<ChatCompletionChunk> chunks = stream(ChatCompletionCreateParams.builder().model(expert.id())
                .addUserMessage("hello")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());

        // then: one usage chunk, with no choices, as OpenAI sends it
        List<ChatCompletionChunk> withUsage = chunks.stream().filter(chunk -> chunk.usage().isPresent()).toList();
        assertThat(withUsage).hasSize(1);
        assertThat(withUsage.getFirst().choices()).isEmpty();
        CompletionUsage usage = withUsage.getFirst().usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(11);
        assertThat(usage.completionTokens()).isEqualTo(1);
        assertThat(usage.totalTokens()).isEqualTo(12);
    }

    private List<ChatCompletionChunk> stream(ChatCompletionCreateParams params) {
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(params)) {
            return stream.stream().toList();
        }
    }

    /** A counter's value for the expert as Prometheus scrapes it; zero before it exists. */
    private double scraped(String name, Expert expert, @Nullable String otherLabel) {
        String body = send("GET", "/actuator/prometheus", null, null).body();
        Matcher line = Pattern.compile("(?m)^" + name + "\\{([^}]*)} (\\S+)$").matcher(body);
        while (line.find()) {
            String labels = line.group(1);
            if (labels.contains("expert=\"" + expert.id() + "\"") && (otherLabel == null || labels.contains(otherLabel))) {
                return Double.parseDouble(line.group(2));
            }
        }
        return 0;
    }
}
