package io.consilium.router.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.consilium.registry.Expert;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RunningService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The answer cache end to end, with the built-in classifier's real encoder for matching by meaning, and an
 * upstream that records every request it gets: a repeated or paraphrased question never reaches it, anything that
 * changes the answer does, and no key sees another's answers.
 */
@TestPropertySource(properties = "consilium.cache.mode=semantic")
class AnswerCacheIT extends RunningService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.startHonouringContract(Duration.ZERO);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String TOOLS = """
            [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object",
              "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]""";
    private static final String OTHER_TOOLS = """
            [{"type": "function", "function": {"name": "get_time", "parameters": {"type": "object",
              "properties": {"zone": {"type": "string"}}, "required": ["zone"]}}}]""";

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @BeforeEach
    void resetUpstream() {
        UPSTREAM.reset();
    }

    @Test
    void should_answer_a_repeated_request_from_the_cache_without_calling_the_upstream() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        String request = chat(expert.id(), "What is the boiling point of water at sea level?", "");
        HttpResponse<String> first = postJson("/v1/chat/completions", request);

        // when
        HttpResponse<String> second = postJson("/v1/chat/completions", request);

        // then
        assertThat(first.headers().firstValue(CacheScope.HEADER)).hasValue("miss");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(second.headers().firstValue(CacheScope.HEADER)).hasValue("hit-exact");
        assertThat(UPSTREAM.calls()).isEqualTo(1);
        JsonNode cached = json(second);
        assertThat(text(cached)).isEqualTo(text(json(first))).contains("boiling point");
        assertThat(cached.path("id").asString()).startsWith("chatcmpl-").isNotEqualTo(json(first).path("id").asString());
        assertThat(cached.path("consilium").path("cache").path("hit").asString()).isEqualTo("exact");
        assertThat(cached.path("consilium").path("cache").path("cost_usd").asDouble()).isZero();
        assertThat(cached.path("consilium").path("experts")).isEmpty();
        assertThat(cached.path("consilium").path("cache").path("answered_by").path(0).asString()).isEqualTo(expert.id());
        // The fresh id is one feedback knows, and it counts for the expert that made the answer.
        HttpResponse<String> feedback = postJson("/v1/feedback",
                "{\"completion_id\": \"" + cached.path("id").asString() + "\", \"score\": 1}");
        assertThat(feedback.statusCode()).as(feedback.body()).isEqualTo(200);
    }

    @Test
    void should_match_a_paraphrase_of_a_virtual_models_question_and_miss_a_different_question() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        String allow = "\"consilium\": {\"experts\": {\"allow\": [\"" + expert.id() + "\"]}},";
        HttpResponse<String> first = postJson("/v1/chat/completions",
                chat("consilium/route", "How do I reverse a linked list in Java?", allow));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

        // when
        HttpResponse<String> paraphrase = postJson("/v1/chat/completions",
                chat("consilium/route", "How can I reverse a linked list using Java?", allow));
        HttpResponse<String> different = postJson("/v1/chat/completions",
                chat("consilium/route", "How do I sort a linked list in Java?", allow));

        // then
        assertThat(paraphrase.headers().firstValue(CacheScope.HEADER)).hasValue("hit-semantic");
        JsonNode hit = json(paraphrase).path("consilium").path("cache");
        assertThat(hit.path("hit").asString()).isEqualTo("semantic");
        assertThat(hit.path("similarity").asDouble()).isBetween(0.9, 1.0);
        assertThat(text(json(paraphrase))).isEqualTo(text(json(first)));
        assertThat(different.headers().firstValue(CacheScope.HEADER)).hasValue("miss");
        assertThat(text(json(different))).contains("sort a linked list");
        assertThat(UPSTREAM.calls()).isEqualTo(2);
    }

    @Test
    void should_not_serve_an_answer_made_with_other_tools_or_another_response_format() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        String question = "What is the weather in Paris?";
        postJson("/v1/chat/completions", chat(expert.id(), question, "\"tools\": " + TOOLS + ","));

        // when
        HttpResponse<String> sameTools = postJson("/v1/chat/completions", chat(expert.id(), question, "\"tools\": " + TOOLS + ","));
        HttpResponse<String> otherTools = postJson("/v1/chat/completions",
                chat(expert.id(), question, "\"tools\": " + OTHER_TOOLS + ","));
        HttpResponse<String> jsonMode = postJson("/v1/chat/completions",
                chat(expert.id(), question, "\"response_format\": {\"type\": \"json_object\"},"));
        HttpResponse<String> noTools = postJson("/v1/chat/completions", chat(expert.id(), question, ""));

        // then
        assertThat(sameTools.headers().firstValue(CacheScope.HEADER)).hasValue("hit-exact");
        assertThat(json(sameTools).path("choices").path(0).path("message").path("tool_calls").path(0)
                .path("function").path("name").asString()).isEqualTo("get_weather");
        assertThat(otherTools.headers().firstValue(CacheScope.HEADER)).hasValue("miss");
        assertThat(jsonMode.headers().firstValue(CacheScope.HEADER)).hasValue("miss");
        assertThat(noTools.headers().firstValue(CacheScope.HEADER)).hasValue("miss");
        assertThat(UPSTREAM.calls()).isEqualTo(4);
        assertThat(UPSTREAM.received()).extracting(received -> received.body().path("tools").path(0)
                .path("function").path("name").asString("none"))
                .containsExactly("get_weather", "get_time", "none", "none");
    }

    @Test
    void should_never_serve_one_keys_answers_to_another_and_not_charge_a_hit_to_the_keys_tokens() {
        // given: a key whose token budget one fresh answer nearly spends
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        String keyA = createKey("{\"name\": \"cache-a\", \"tokens_per_minute\": 40}");
        String keyB = createKey("{\"name\": \"cache-b\"}");
        String request = chat(expert.id(), "Name the largest planet in the solar system.", "");
        HttpResponse<String> byA = post("/v1/chat/completions", request, keyA);
        assertThat(byA.statusCode()).as(byA.body()).isEqualTo(200);

        // when
        HttpResponse<String> byB = post("/v1/chat/completions", request, keyB);
        List<Integer> repeatsByA = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> repeat = post("/v1/chat/completions", request, keyA);
            assertThat(repeat.headers().firstValue(CacheScope.HEADER)).hasValue("hit-exact");
            repeatsByA.add(repeat.statusCode());
        }

        // then
        assertThat(byB.headers().firstValue(CacheScope.HEADER)).hasValue("miss");
        assertThat(UPSTREAM.calls()).isEqualTo(2);
        assertThat(repeatsByA).as("hits charge no tokens, so the budget of 40 a minute is not spent")
                .containsOnly(200);
    }

    @Test
    void should_stream_a_cached_answer_that_the_official_sdk_reads_whole() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(expert.id())
                .addUserMessage("Write one sentence about the sea.").build();
        ChatCompletion fresh = accumulate(params);

        // when
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(params)) {
            chunks = stream.stream().peek(accumulator::accumulate).toList();
        }

        // then
        assertThat(UPSTREAM.calls()).isEqualTo(1);
        ChatCompletion cached = accumulator.chatCompletion();
        assertThat(cached.choices().getFirst().message().content()).isEqualTo(fresh.choices().getFirst().message().content());
        assertThat(cached.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(cached.id()).isNotEqualTo(fresh.id());
        assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly(cached.id());
        JsonValue metadata = chunks.getLast()._additionalProperties().get("consilium");
        assertThat(metadata).isNotNull();
        assertThat(metadata.toString()).contains("hit=exact");
    }

    @Test
    void should_send_a_streamed_hit_as_chunks_in_order_then_the_metadata_then_done() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        String request = chat(expert.id(), "Say something about mountains.", "\"stream\": true,");
        postJson("/v1/chat/completions", request);

        // when
        HttpResponse<String> streamed = postJson("/v1/chat/completions", request);

        // then
        assertThat(streamed.headers().firstValue(CacheScope.HEADER)).hasValue("hit-exact");
        assertThat(streamed.headers().firstValue("content-type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/event-stream"));
        List<String> events = List.of(streamed.body().strip().split("\n\n"));
        assertThat(events.getLast()).isEqualTo("data: [DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream()
                .map(event -> JSON.readTree(event.substring("data: ".length()))).toList();
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.path("object").asString()).isEqualTo("chat.completion.chunk"));
        assertThat(chunks.getFirst().path("choices").path(0).path("delta").path("role").asString()).isEqualTo("assistant");
        assertThat(chunks.get(1).path("choices").path(0).path("delta").path("content").asString())
                .isEqualTo("echo: Say something about mountains.");
        assertThat(chunks.getLast().path("choices").path(0).path("finish_reason").asString()).isEqualTo("stop");
        assertThat(chunks.getLast().path("consilium").path("cache").path("hit").asString()).isEqualTo("exact");
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(chunk -> assertThat(chunk.has("consilium")).isFalse());
        assertThat(UPSTREAM.calls()).isEqualTo(1);
    }

    @Test
    void should_let_a_client_opt_out_by_header_or_option_and_refuse_a_bad_option() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        String request = chat(expert.id(), "How many legs does a spider have?", "");
        postJson("/v1/chat/completions", request);

        // when
        HttpResponse<String> noCache = post("/v1/chat/completions", request, ADMIN_KEY, "Cache-Control", "no-cache");
        HttpResponse<String> optedOut = postJson("/v1/chat/completions",
                chat(expert.id(), "How many legs does a spider have?", "\"consilium\": {\"cache\": false},"));
        HttpResponse<String> badOption = postJson("/v1/chat/completions",
                chat(expert.id(), "How many legs does a spider have?", "\"consilium\": {\"cache\": \"no\"},"));

        // then
        assertThat(noCache.headers().firstValue(CacheScope.HEADER)).hasValue("bypass");
        assertThat(optedOut.headers().firstValue(CacheScope.HEADER)).hasValue("bypass");
        assertThat(UPSTREAM.calls()).isEqualTo(3);
        assertThat(badOption.statusCode()).isEqualTo(400);
        assertThat(json(badOption).path("error").path("param").asString()).isEqualTo("consilium.cache");
    }

    @Test
    void should_serve_the_responses_and_messages_endpoints_from_the_cache_too() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        String response = "{\"model\": \"" + expert.id() + "\", \"input\": \"Who wrote Hamlet?\"}";
        String message = "{\"model\": \"" + expert.id() + "\", \"max_tokens\": 100,"
                + " \"messages\": [{\"role\": \"user\", \"content\": \"Who wrote Macbeth?\"}]}";
        postJson("/v1/responses", response);
        postJson("/v1/messages", message);

        // when
        HttpResponse<String> cachedResponse = postJson("/v1/responses", response);
        HttpResponse<String> cachedMessage = postJson("/v1/messages", message);

        // then
        assertThat(cachedResponse.statusCode()).as(cachedResponse.body()).isEqualTo(200);
        assertThat(cachedResponse.headers().firstValue(CacheScope.HEADER)).hasValue("hit-exact");
        assertThat(cachedResponse.body()).contains("Who wrote Hamlet?");
        assertThat(cachedMessage.statusCode()).as(cachedMessage.body()).isEqualTo(200);
        assertThat(cachedMessage.headers().firstValue(CacheScope.HEADER)).hasValue("hit-exact");
        assertThat(cachedMessage.body()).contains("Who wrote Macbeth?");
        assertThat(UPSTREAM.calls()).isEqualTo(2);
    }

    @Test
    void should_stream_a_cached_responses_answer_through_the_responses_events() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        String request = "{\"model\": \"" + expert.id() + "\", \"input\": \"Who painted the Mona Lisa?\", \"stream\": true}";
        HttpResponse<String> fresh = postJson("/v1/responses", request);

        // when
        HttpResponse<String> cached = postJson("/v1/responses", request);

        // then
        assertThat(fresh.headers().firstValue(CacheScope.HEADER)).hasValue("miss");
        assertThat(cached.headers().firstValue(CacheScope.HEADER)).hasValue("hit-exact");
        assertThat(UPSTREAM.calls()).isEqualTo(1);
        // The same events in the same order; the cached text comes in one delta rather than several.
        assertThat(eventTypes(cached.body())).isEqualTo(eventTypes(fresh.body()).stream().distinct().toList())
                .startsWith("response.created").endsWith("response.completed");
        assertThat(cached.body()).contains("echo: Who painted the Mona Lisa?");
    }

    @Test
    void should_purge_for_the_admin_only_and_count_hits_misses_and_saved_cost() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl(), b -> b.cost(new io.consilium.registry.Cost(1000.0, 1000.0)));
        String request = chat(expert.id(), "What colour is the sky on a clear day?", "");
        double hitsBefore = scraped("consilium_cache_requests_total", "outcome=\"hit_exact\"");
        double missesBefore = scraped("consilium_cache_requests_total", "outcome=\"miss\"");
        double savedBefore = scraped("consilium_cache_saved_cost_usd_total", null);
        postJson("/v1/chat/completions", request);
        postJson("/v1/chat/completions", request);
        String key = createKey("{\"name\": \"cache-not-admin\"}");

        // when
        HttpResponse<String> refused = send("DELETE", "/admin/api/cache", null, null, key);
        HttpResponse<String> purged = send("DELETE", "/admin/api/cache", null, null);
        HttpResponse<String> afterPurge = postJson("/v1/chat/completions", request);

        // then
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(purged.statusCode()).as(purged.body()).isEqualTo(200);
        assertThat(json(purged).path("partitions").asLong()).isPositive();
        assertThat(afterPurge.headers().firstValue(CacheScope.HEADER)).hasValue("miss");
        assertThat(UPSTREAM.calls()).isEqualTo(2);
        assertThat(scraped("consilium_cache_requests_total", "outcome=\"hit_exact\"") - hitsBefore).isEqualTo(1);
        assertThat(scraped("consilium_cache_requests_total", "outcome=\"miss\"") - missesBefore).isEqualTo(2);
        assertThat(scraped("consilium_cache_saved_cost_usd_total", null) - savedBefore).isPositive();
        assertThat(send("DELETE", "/admin/api/cache?owner=somebody", null, null).statusCode()).isEqualTo(400);
    }

    private static String chat(String model, String question, String extraFields) {
        return """
                {"model": "%s", %s "messages": [{"role": "system", "content": "Be brief."},
                 {"role": "user", "content": "%s"}]}""".formatted(model, extraFields, question);
    }

    private static List<String> eventTypes(String stream) {
        return Pattern.compile("(?m)^event: (\\S+)$").matcher(stream).results().map(match -> match.group(1)).toList();
    }

    private static String text(JsonNode completion) {
        return completion.path("choices").path(0).path("message").path("content").asString();
    }

    private ChatCompletion accumulate(ChatCompletionCreateParams params) {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        return accumulator.chatCompletion();
    }

    private String createKey(String grant) {
        HttpResponse<String> created = send("POST", "/admin/api/keys", "application/json", grant);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("key").asString();
    }

    private HttpResponse<String> post(String path, String body, String bearer, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A counter's value as Prometheus scrapes it; zero before it exists. */
    private double scraped(String name, String label) {
        String body = send("GET", "/actuator/prometheus", null, null).body();
        Matcher line = Pattern.compile("(?m)^" + name + "(?:\\{([^}]*)})? (\\S+)$").matcher(body);
        while (line.find()) {
            if (label == null || line.group(1) != null && line.group(1).contains(label)) {
                return Double.parseDouble(line.group(2));
            }
        }
        return 0;
    }
}
