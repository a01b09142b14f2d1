package io.consilium.router.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.FakeAnthropicUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RunningService;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Tracing on the embedded defaults: off, so nothing is recorded or exported and nothing connects anywhere, while
 * a client's {@code traceparent} still reaches the upstreams unchanged, on the direct path and through a plan.
 */
class TraceparentForwardingIT extends RunningService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();
    private static final FakeAnthropicUpstream ANTHROPIC = FakeAnthropicUpstream.start();
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Autowired
    ApplicationContext context;

    @AfterAll
    static void stop() {
        UPSTREAM.close();
        ANTHROPIC.close();
    }

    @BeforeEach
    void forget() {
        UPSTREAM.reset();
    }

    @Test
    void should_record_and_export_nothing_when_no_endpoint_is_configured() {
        assertThat(context.getBeanProvider(SpanExporter.class).stream()).isEmpty();
        assertThat(context.getBean(OpenTelemetry.class)).isNotInstanceOf(OpenTelemetrySdk.class);
        assertThat(context.getBeanProvider(SdkTracerProvider.class).stream()).isEmpty();
    }

    @Test
    void should_forward_the_clients_traceparent_unchanged_on_a_direct_call() {
        Expert expert = registerRemote(UPSTREAM.baseUrl());

        openAi.chat().completions().create(ChatCompletionCreateParams.builder().model(expert.id())
                .addUserMessage("hello").putAdditionalHeader("traceparent", TRACEPARENT).build());

        assertThat(UPSTREAM.lastReceived().headers()).containsEntry("traceparent", TRACEPARENT);
    }

    @Test
    void should_forward_the_clients_traceparent_unchanged_to_every_expert_of_a_plan() {
        Expert expert = registerRemote(UPSTREAM.baseUrl());

        openAi.chat().completions().create(ChatCompletionCreateParams.builder().model("consilium/auto")
                .addUserMessage("hello").putAdditionalHeader("traceparent", TRACEPARENT)
                .putAdditionalBodyProperty("consilium", JsonValue.from(Map.of(
                        "experts", Map.of("allow", List.of(expert.id())), "k", 1, "fusion", "best")))
                .build());

        assertThat(UPSTREAM.lastReceived().headers()).containsEntry("traceparent", TRACEPARENT);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void should_forward_the_clients_traceparent_to_an_anthropic_expert(boolean streamed) {
        // given
        Expert claude = registry.register(Expert.builder("trace-claude-" + streamed).provider(Provider.ANTHROPIC)
                .baseUrl(ANTHROPIC.baseUrl()).model("claude-test").apiKey("sk-ant-trace").build());
        ChatCompletionCreateParams request = ChatCompletionCreateParams.builder().model(claude.id())
                .addUserMessage("hello").putAdditionalHeader("traceparent", TRACEPARENT).build();

        // when
        if (streamed) {
            try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(request)) {
                stream.stream().forEach(chunk -> {});
            }
        } else {
            openAi.chat().completions().create(request);
        }

        // then
        assertThat(ANTHROPIC.lastReceived().headers()).containsEntry("traceparent", TRACEPARENT);
    }

    @Test
    void should_send_no_trace_header_when_the_client_sent_none() {
        Expert expert = registerRemote(UPSTREAM.baseUrl());

        openAi.chat().completions().create(ChatCompletionCreateParams.builder().model(expert.id())
                .addUserMessage("hello").build());

        assertThat(UPSTREAM.lastReceived().headers()).doesNotContainKey("traceparent");
    }
}
