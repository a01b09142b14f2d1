package io.consilium.router.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.router.testing.OtlpReceiver;
import io.consilium.router.testing.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The service with tracing on, exporting to a real OTLP/HTTP receiver: the walk of a request arrives as one span
 * tree under the client's trace, with the GenAI attributes and without content, and the upstreams see the trace
 * go on. The one context with tracing on; every tracing test belongs here.
 */
@AutoConfigureTracing
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "consilium.auth.admin-key=" + TracingIT.ADMIN_KEY,
        "consilium.health-checks.enabled=false",
        "consilium.resilience.initial-backoff=20ms",
        // Tests cannot give the endpoint before the environment is prepared, so they switch the SDK on themselves.
        "management.opentelemetry.enabled=true",
        "management.tracing.sampling.probability=1.0",
        "management.opentelemetry.tracing.export.schedule-delay=100ms",
        // Exact matching only: a look-up is a span of its own, and no question is classified inside it.
        "consilium.cache.mode=exact",
        // A log line for every request served, to find the trace in.
        "logging.level.org.springframework.web.servlet.DispatcherServlet=DEBUG"
})
class TracingIT {

    static final String ADMIN_KEY = "tracing-admin-key";
    private static final OtlpReceiver COLLECTOR = OtlpReceiver.start();
    private static final FakeOpenAiUpstream FIRST = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream SECOND = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream AGGREGATOR = FakeOpenAiUpstream.start();
    private static final String QUESTION = "What is the derivative of x squared, private-question-7781?";
    private static final String UPSTREAM_KEY = "sk-tracing-upstream-secret";

    @DynamicPropertySource
    static void collector(DynamicPropertyRegistry properties) {
        properties.add("management.opentelemetry.tracing.export.otlp.endpoint", COLLECTOR::tracesUrl);
    }

    @LocalServerPort
    int port;

    @Autowired
    ExpertRegistry registry;

    private OpenAIClient openAi;

    @AfterAll
    static void stop() {
        List.of(FIRST, SECOND, AGGREGATOR).forEach(FakeOpenAiUpstream::close);
        COLLECTOR.close();
    }

    @BeforeEach
    void connect() {
        List.of(FIRST, SECOND, AGGREGATOR).forEach(FakeOpenAiUpstream::reset);
        openAi = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey(ADMIN_KEY)
                .maxRetries(0).timeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void should_export_the_walk_of_an_auto_request_as_one_tree_under_the_clients_trace() {
        // given: two experts that disagree, so the aggregator synthesises
        String first = expert("trace-first", FIRST, "expert");
        String second = expert("trace-second", SECOND, "expert");
        String aggregator = expert("trace-aggregator", AGGREGATOR, "aggregator");
        FIRST.answerWith(Reply.completion("alpha answer"));
        SECOND.answerWith(Reply.completion("beta answer"));
        AGGREGATOR.answerWith(Reply.completion("synthesised answer"));
        Traceparent client = Traceparent.random();

        // when
        ChatCompletion answer = openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("consilium/auto").addUserMessage(QUESTION).maxCompletionTokens(64).temperature(0.25)
                .putAdditionalHeader("traceparent", client.header())
                .putAdditionalBodyProperty("consilium", JsonValue.from(Map.of(
                        "experts", Map.of("allow", List.of(first, second)), "k", 2,
                        "fusion", "synthesize", "aggregator", aggregator)))
                .build());

        // then: the request's span continues the client's trace, and every step hangs under it
        assertThat(answer.choices().getFirst().message().content()).contains("synthesised answer");
        ReceivedSpan server = awaitSpan(client.traceId(), span -> span.kind() == Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(server.parentSpanId()).isEqualTo(client.spanId());
        assertThat(server.name()).contains("/v1/chat/completions");
        ReceivedSpan classification = awaitSpan(client.traceId(), named(PipelineTracing.CLASSIFICATION));
        ReceivedSpan planning = awaitSpan(client.traceId(), named(PipelineTracing.PLANNING));
        ReceivedSpan fusion = awaitSpan(client.traceId(), named(PipelineTracing.FUSION));
        ReceivedSpan firstAttempt = awaitSpan(client.traceId(), attemptOf(first));
        ReceivedSpan secondAttempt = awaitSpan(client.traceId(), attemptOf(second));
        ReceivedSpan aggregatorAttempt = awaitSpan(client.traceId(), attemptOf(aggregator));
        assertThat(List.of(classification, planning, fusion, firstAttempt, secondAttempt))
                .allSatisfy(span -> assertThat(span.parentSpanId()).as(span.name()).isEqualTo(server.spanId()));
        assertThat(aggregatorAttempt.parentSpanId()).isEqualTo(fusion.spanId());

        // and: the attributes of the GenAI conventions and Consilium's own
        assertThat(firstAttempt.name()).isEqualTo("chat upstream-model-name");
        assertThat(firstAttempt.attributes()).containsEntry("gen_ai.operation.name", "chat")
                .containsEntry("gen_ai.provider.name", "openai")
                .containsEntry("gen_ai.request.model", "upstream-model-name")
                .containsEntry("gen_ai.response.model", "upstream-model-name")
                .containsEntry("gen_ai.usage.input_tokens", "11")
                .containsEntry("gen_ai.usage.output_tokens", "7")
                .containsEntry("gen_ai.request.max_tokens", "64")
                .containsEntry("gen_ai.request.temperature", "0.25")
                .containsEntry("consilium.attempt", "1")
                .containsEntry("consilium.outcome", "ok");
        assertThat(planning.attributes()).containsEntry("consilium.strategy", "symbolic-moe")
                .containsEntry("consilium.k", "2").containsEntry("consilium.fusion", "synthesize")
                .containsEntry("consilium.aggregator", aggregator);
        assertThat(classification.attribute("consilium.skills")).isNotEmpty();
        assertThat(fusion.attributes()).containsEntry("consilium.fusion", "synthesize")
                .containsEntry("consilium.consensus", "false");

        // and: each upstream sees the trace go on, its parent the attempt that called it
        assertThat(Traceparent.parse(FIRST.lastReceived().headers().get("traceparent")))
                .isEqualTo(new Traceparent(client.traceId(), firstAttempt.spanId()));
        assertThat(Traceparent.parse(AGGREGATOR.lastReceived().headers().get("traceparent")))
                .isEqualTo(new Traceparent(client.traceId(), aggregatorAttempt.spanId()));

        // and: no span holds the prompt, an answer or a key, since content capture is off by default
        assertThat(COLLECTOR.trace(client.traceId())).flatMap(span -> span.attributes().values())
                .noneMatch(value -> value.contains("private-question-7781") || value.contains("alpha answer")
                        || value.contains("synthesised answer") || value.contains(UPSTREAM_KEY) || value.contains(ADMIN_KEY));
        assertThat(COLLECTOR.trace(client.traceId())).flatMap(span -> span.attributes().keySet())
                .doesNotContain("gen_ai.input.messages", "gen_ai.output.messages");
    }

    @Test
    void should_give_each_attempt_of_a_direct_call_its_own_span_and_trace_header() {
        // given: the upstream fails once with a 503, then answers
        String direct = expert("trace-direct", FIRST, "expert");
        FIRST.enqueue(Reply.error(503, "overloaded"), Reply.completion("second try"));
        Traceparent client = Traceparent.random();

        // when
        openAi.chat().completions().create(ChatCompletionCreateParams.builder().model(direct).addUserMessage(QUESTION)
                .putAdditionalHeader("traceparent", client.header()).build());

        // then: two attempts, numbered, under the request's span
        ReceivedSpan server = awaitSpan(client.traceId(), span -> span.kind() == Span.SpanKind.SPAN_KIND_SERVER);
        ReceivedSpan retried = awaitSpan(client.traceId(), attemptOf(direct).and(span -> span.attribute("consilium.attempt").equals("1")));
        ReceivedSpan answered = awaitSpan(client.traceId(), attemptOf(direct).and(span -> span.attribute("consilium.attempt").equals("2")));
        assertThat(List.of(retried, answered)).allSatisfy(span -> assertThat(span.parentSpanId()).isEqualTo(server.spanId()));
        assertThat(retried.attribute("consilium.outcome")).isNotEqualTo("ok");
        assertThat(retried.attribute("error.type")).isEqualTo(retried.attribute("consilium.outcome"));
        assertThat(answered.attribute("consilium.outcome")).isEqualTo("ok");

        // and: each attempt's request carried the trace, parented by its own attempt
        assertThat(FIRST.received()).map(received -> Traceparent.parse(received.headers().get("traceparent")))
                .containsExactly(new Traceparent(client.traceId(), retried.spanId()),
                        new Traceparent(client.traceId(), answered.spanId()));
    }

    @Test
    void should_observe_the_cache_look_up_and_call_no_expert_for_a_cached_answer() {
        // given: an answer the cache keeps
        String cached = expert("trace-cached", SECOND, "expert");
        SECOND.answerWith(Reply.completion("kept answer"));
        ChatCompletionCreateParams question = ChatCompletionCreateParams.builder().model(cached)
                .addUserMessage("A question asked twice, cache-trace-4410").build();
        openAi.chat().completions().create(question);
        Traceparent client = Traceparent.random();

        // when: the same question again
        openAi.chat().completions().create(question.toBuilder().putAdditionalHeader("traceparent", client.header()).build());

        // then: the look-up hangs under the request's span and says what it found; no expert was called
        ReceivedSpan server = awaitSpan(client.traceId(), span -> span.kind() == Span.SpanKind.SPAN_KIND_SERVER);
        ReceivedSpan lookup = awaitSpan(client.traceId(), named(PipelineTracing.CACHE_LOOKUP));
        assertThat(lookup.parentSpanId()).isEqualTo(server.spanId());
        assertThat(lookup.attribute(PipelineTracing.CACHE)).isEqualTo("exact");
        assertThat(COLLECTOR.trace(client.traceId())).noneMatch(attemptOf(cached));
        assertThat(SECOND.received()).hasSize(1);
    }

    @Test
    void should_keep_an_in_process_experts_attempt_in_the_clients_trace() {
        // given: the built-in embedding expert runs its model on a thread of its own
        Traceparent client = Traceparent.random();

        // when
        openAi.embeddings().create(EmbeddingCreateParams.builder().model("all-minilm-l6-v2").input("a sentence to embed")
                .putAdditionalHeader("traceparent", client.header()).build());

        // then
        ReceivedSpan server = awaitSpan(client.traceId(), span -> span.kind() == Span.SpanKind.SPAN_KIND_SERVER);
        ReceivedSpan attempt = awaitSpan(client.traceId(), attemptOf("all-minilm-l6-v2"));
        assertThat(attempt.parentSpanId()).isEqualTo(server.spanId());
        assertThat(attempt.attributes()).containsEntry("gen_ai.operation.name", "embeddings")
                .containsEntry("gen_ai.provider.name", "builtin").containsEntry("consilium.outcome", "ok");
        assertThat(Long.parseLong(attempt.attribute("gen_ai.usage.input_tokens"))).isPositive();
    }

    @Test
    void should_put_the_trace_and_span_ids_in_the_mdc_of_a_requests_log_lines() throws Exception {
        // given: the dispatcher logs each request it serves (at debug, in this context); its events are caught
        Logger dispatcher = (Logger) LoggerFactory.getLogger(DispatcherServlet.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        dispatcher.addAppender(events);
        Traceparent client = Traceparent.random();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
                .header("authorization", "Bearer " + ADMIN_KEY).header("traceparent", client.header()).build();

        // when
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } finally {
            dispatcher.detachAppender(events);
        }

        // then: its log lines carry the client's trace id and the request's span id, which Spring Boot's log
        // pattern prints as the correlation id
        assertThat(response.statusCode()).isEqualTo(200);
        ReceivedSpan server = awaitSpan(client.traceId(), span -> span.kind() == Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(events.list).isNotEmpty().allSatisfy(event -> assertThat(event.getMDCPropertyMap())
                .containsEntry("traceId", client.traceId()).containsEntry("spanId", server.spanId()));
    }

    private String expert(String prefix, FakeOpenAiUpstream upstream, String role) {
        String id = prefix + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
        registry.register(Expert.builder(id).provider(Provider.OPENAI).baseUrl(upstream.baseUrl())
                .model("upstream-model-name").apiKey(UPSTREAM_KEY).roleIds(List.of(role)).build());
        return id;
    }

    private static ReceivedSpan awaitSpan(String traceId, Predicate<ReceivedSpan> wanted) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> COLLECTOR.trace(traceId).stream().filter(wanted).findFirst(), found -> found.isPresent()).orElseThrow();
    }

    private static Predicate<ReceivedSpan> named(String name) {
        return span -> span.name().equals(name.replace('.', ' ')) || span.name().equals(name);
    }

    private static Predicate<ReceivedSpan> attemptOf(String expertId) {
        return span -> span.attribute("consilium.expert").equals(expertId);
    }

    /** A W3C trace context: the trace and the span that is the parent of the next. */
    private record Traceparent(String traceId, String spanId) {

        static Traceparent random() {
            HexFormat hex = HexFormat.of();
            byte[] trace = new byte[16];
            byte[] span = new byte[8];
            ThreadLocalRandom.current().nextBytes(trace);
            ThreadLocalRandom.current().nextBytes(span);
            return new Traceparent(hex.formatHex(trace), hex.formatHex(span));
        }

        static Traceparent parse(String header) {
            String[] parts = header.split("-");
            return new Traceparent(parts[1], parts[2]);
        }

        String header() {
            return "00-" + traceId + "-" + spanId + "-01";
        }
    }
}
