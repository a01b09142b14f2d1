package io.consilium.router.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.sun.net.httpserver.HttpExchange;
import io.consilium.profiler.ProfileService;
import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.router.RunningService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code consilium/route} relays the one chosen expert's answer as it is: every choice and field, and, for a
 * stream, each chunk as the expert sends it, with a reserve taking over only before the first chunk.
 */
class RouteRelayIT extends RunningService {

    private static final FakeOpenAiUpstream FIRST = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream RESERVE = FakeOpenAiUpstream.start();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final String QUESTION = "Can my landlord keep my deposit for normal wear and tear under my lease?";
    private static final String TOOLS = """
            [{"type": "function", "function": {"name": "lookup_statute", "parameters": {"type": "object",
              "properties": {"q": {"type": "string"}}, "required": ["q"]}}}]""";

    @Autowired
    private ProfileService profiles;

    private String first;
    private String reserve;

    @AfterAll
    static void stopUpstreams() {
        FIRST.close();
        RESERVE.close();
    }

    /** Two fresh experts per test (no circuit state shared): the first measured stronger in law than the reserve. */
    @BeforeEach
    void registerExperts() {
        FIRST.reset();
        RESERVE.reset();
        int id = IDS.incrementAndGet();
        first = expert("relay-first-" + id, FIRST, 0.95);
        reserve = expert("relay-reserve-" + id, RESERVE, 0.6);
    }

    private String expert(String id, FakeOpenAiUpstream upstream, double lawAccuracy) {
        registry.register(Expert.builder(id).provider(Provider.OPENAI).baseUrl(upstream.baseUrl()).model(id).build());
        for (int i = 0; i < 40; i++) {
            profiles.recordAnswer(id, Map.of("law", 1.0), i < lawAccuracy * 40);
        }
        return id;
    }

    private String routed(String extraFields) {
        return """
                {"model": "consilium/route", "messages": [{"role": "user", "content": "%s"}], %s
                 "consilium": {"experts": {"allow": ["%s", "%s"]}}}""".formatted(QUESTION, extraFields, first, reserve);
    }

    @Test
    void should_relay_every_choice_and_field_of_the_chosen_experts_answer() {
        // given: an answer with a tool call, a refusal, logprobs and a fingerprint, in two choices
        FIRST.answerWith(Reply.json(200, """
                {"id": "chatcmpl-up", "object": "chat.completion", "created": 1, "model": "up-model",
                 "system_fingerprint": "fp_relay",
                 "choices": [
                   {"index": 0, "message": {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1",
                     "type": "function", "function": {"name": "lookup_statute", "arguments": "{\\"q\\":\\"deposit\\"}"}}]},
                    "logprobs": null, "finish_reason": "tool_calls"},
                   {"index": 1, "message": {"role": "assistant", "content": null, "refusal": "I cannot advise on that."},
                    "logprobs": {"content": [{"token": "I", "logprob": -0.1, "bytes": [73], "top_logprobs": []}]},
                    "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 30, "completion_tokens": 12, "total_tokens": 42}}"""));

        // when
        HttpResponse<String> response = postJson("/v1/chat/completions",
                routed("\"n\": 2, \"logprobs\": true, \"tools\": " + TOOLS + ","));

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("model").asString()).isEqualTo("consilium/route");
        assertThat(body.path("system_fingerprint").asString()).isEqualTo("fp_relay");
        assertThat(body.path("choices")).hasSize(2);
        JsonNode call = body.path("choices").path(0).path("message").path("tool_calls").path(0);
        assertThat(call.path("function").path("name").asString()).isEqualTo("lookup_statute");
        assertThat(call.path("function").path("arguments").asString()).isEqualTo("{\"q\":\"deposit\"}");
        assertThat(body.path("choices").path(0).path("finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(body.path("choices").path(1).path("message").path("refusal").asString()).isEqualTo("I cannot advise on that.");
        assertThat(body.path("choices").path(1).path("logprobs").path("content").path(0).path("token").asString()).isEqualTo("I");
        assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(42);
        assertThat(body.path("consilium").path("fusion").asString()).isEqualTo("none");
        assertThat(body.path("consilium").path("experts").path(0).path("id").asString()).isEqualTo(first);
        JsonNode sent = FIRST.lastRequestBody();
        assertThat(sent.path("n").asInt()).isEqualTo(2);
        assertThat(sent.path("logprobs").asBoolean()).isTrue();
        assertThat(sent.path("tools").path(0).path("function").path("name").asString()).isEqualTo("lookup_statute");
    }

    @Test
    void should_give_the_sdk_the_experts_tool_call() {
        // given
        FIRST.answerWith(toolCallAnswer());
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("consilium/route")
                .addUserMessage(QUESTION)
                .addTool(lookupStatute())
                .putAdditionalBodyProperty("consilium", JsonValue.from(Map.of("experts", Map.of("allow", List.of(first, reserve)))))
                .build();

        // when
        ChatCompletion completion = openAi.chat().completions().create(params);

        // then
        ChatCompletionMessageFunctionToolCall call = completion.choices().getFirst().message().toolCalls().orElseThrow()
                .getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("lookup_statute");
        assertThat(call.function().arguments()).isEqualTo("{\"q\":\"deposit\"}");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    }

    @Test
    void should_send_each_chunk_on_as_soon_as_the_expert_sends_it() throws Exception {
        // given: the expert sends its second piece only once the client has received the first
        CountDownLatch clientSawFirst = new CountDownLatch(1);
        AtomicBoolean released = new AtomicBoolean();
        FIRST.answerWith((exchange, request, upstream) -> {
            OutputStream out = events(exchange);
            send(out, contentChunk(request, "first-piece", null));
            try {
                released.set(clientSawFirst.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("stopped while waiting for the client", e);
            }
            send(out, contentChunk(request, "second-piece", null));
            send(out, contentChunk(request, null, "stop"));
            done(out);
        });

        // when
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = openStream(routed("\"stream\": true,"))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
                if (line.contains("first-piece")) {
                    clientSawFirst.countDown();
                }
            }
        }

        // then: had the relay held the answer back, the expert would have waited out its 10 s for nothing
        assertThat(released).as("the client received the first piece while the expert was still answering").isTrue();
        List<JsonNode> chunks = dataEvents(lines);
        assertThat(String.join("", chunks.stream().map(RouteRelayIT::content).toList())).isEqualTo("first-piecesecond-piece");
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.path("model").asString()).isEqualTo("consilium/route"));
        assertThat(chunks.getLast().path("consilium").path("experts").path(0).path("id").asString()).isEqualTo(first);
        assertThat(lines).contains("data: [DONE]");
    }

    @Test
    void should_stream_tool_call_deltas_that_the_sdk_accumulates_into_the_call() {
        // given
        FIRST.answerWith((exchange, request, upstream) -> {
            OutputStream out = events(exchange);
            send(out, toolCallChunk(request, true, "{\"q\":"));
            send(out, toolCallChunk(request, false, "\"deposit\"}"));
            send(out, contentChunk(request, null, "tool_calls"));
            done(out);
        });
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("consilium/route")
                .addUserMessage(QUESTION)
                .addTool(lookupStatute())
                .putAdditionalBodyProperty("consilium", JsonValue.from(Map.of("experts", Map.of("allow", List.of(first, reserve)))))
                .build();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

        // when
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }

        // then
        ChatCompletion completion = accumulator.chatCompletion();
        ChatCompletionMessageFunctionToolCall call = completion.choices().getFirst().message().toolCalls().orElseThrow()
                .getFirst().asFunction();
        assertThat(call.id()).isEqualTo("call_1");
        assertThat(call.function().name()).isEqualTo("lookup_statute");
        assertThat(call.function().arguments()).isEqualTo("{\"q\":\"deposit\"}");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    }

    @Test
    void should_hand_over_to_the_reserve_when_the_expert_fails_before_its_first_chunk() throws Exception {
        // given
        FIRST.answerWith(Reply.error(503, "overloaded"));
        RESERVE.answerWith(Reply.stream(List.of("from ", "the reserve"), Duration.ZERO));

        // when
        List<JsonNode> chunks;
        try (BufferedReader reader = openStream(routed("\"stream\": true,"))) {
            chunks = dataEvents(reader.lines().toList());
        }

        // then
        assertThat(String.join("", chunks.stream().map(RouteRelayIT::content).toList())).isEqualTo("from the reserve");
        JsonNode experts = chunks.getLast().path("consilium").path("experts");
        assertThat(experts).hasSize(2);
        assertThat(experts.path(0).path("id").asString()).isEqualTo(first);
        assertThat(experts.path(0).path("outcome").asString()).isNotEqualTo("ok");
        assertThat(experts.path(1).path("id").asString()).isEqualTo(reserve);
        assertThat(experts.path(1).path("outcome").asString()).isEqualTo("ok");
    }

    @Test
    void should_end_with_an_error_event_and_no_second_expert_when_the_expert_fails_after_its_first_chunk()
            throws Exception {
        // given
        FIRST.answerWith(Reply.streamThenError(List.of("partial answer"), "the model crashed"));

        // when
        List<String> lines;
        try (BufferedReader reader = openStream(routed("\"stream\": true,"))) {
            lines = reader.lines().toList();
        }

        // then: the client already has part of this expert's answer, so no other expert may continue it
        List<JsonNode> events = dataEvents(lines);
        assertThat(events.stream().map(RouteRelayIT::content).toList()).contains("partial answer");
        assertThat(events.getLast().has("error")).isTrue();
        assertThat(lines).doesNotContain("data: [DONE]");
        assertThat(RESERVE.calls()).isZero();
    }

    @Test
    void should_count_the_tokens_of_a_stream_whose_client_did_not_ask_for_usage_and_not_show_them() throws Exception {
        // given
        FIRST.answerWith(Reply.stream(List.of("a", "b", "c"), Duration.ZERO));

        // when
        List<JsonNode> chunks;
        try (BufferedReader reader = openStream(routed("\"stream\": true,"))) {
            chunks = dataEvents(reader.lines().toList());
        }

        // then: the expert was asked for usage, which is counted but not shown
        assertThat(FIRST.lastRequestBody().path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(chunks).noneSatisfy(chunk -> assertThat(chunk.has("usage")).isTrue());
        JsonNode expert = chunks.getLast().path("consilium").path("experts").path(0);
        assertThat(expert.path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(expert.path("prompt_tokens").asInt()).isEqualTo(11);
    }

    @Test
    void should_continue_a_tool_conversation_with_the_expert_that_made_the_tool_call() throws Exception {
        // given: the stronger expert fails, so the reserve makes the tool call (streamed)
        String callId = "call_affinity_" + IDS.get();
        FIRST.answerWith(Reply.error(503, "overloaded"));
        RESERVE.answerWith((exchange, request, upstream) -> {
            OutputStream out = events(exchange);
            ObjectNode chunk = toolCallChunk(request, true, "{\"q\":\"deposit\"}");
            ((ObjectNode) chunk.path("choices").path(0).path("delta").path("tool_calls").path(0)).put("id", callId);
            send(out, chunk);
            send(out, contentChunk(request, null, "tool_calls"));
            done(out);
        });
        try (BufferedReader reader = openStream(routed("\"stream\": true, \"tools\": " + TOOLS + ","))) {
            assertThat(reader.lines().toList()).contains("data: [DONE]");
        }
        FIRST.reset();
        RESERVE.reset();
        int firstCallsBefore = FIRST.calls();

        // when: the conversation comes back with the tool's result; routing alone would pick the stronger expert
        HttpResponse<String> continued = postJson("/v1/chat/completions", """
                {"model": "consilium/route", "tools": %s, "messages": [
                  {"role": "user", "content": "%s"},
                  {"role": "assistant", "content": null, "tool_calls": [{"id": "%s", "type": "function",
                    "function": {"name": "lookup_statute", "arguments": "{\\"q\\":\\"deposit\\"}"}}]},
                  {"role": "tool", "tool_call_id": "%s", "content": "Deposits cover damage beyond normal wear."}],
                 "consilium": {"experts": {"allow": ["%s", "%s"]}}}""".formatted(TOOLS, QUESTION, callId, callId, first, reserve));
        HttpResponse<String> unknown = postJson("/v1/chat/completions", """
                {"model": "consilium/route", "tools": %s, "messages": [
                  {"role": "user", "content": "%s"},
                  {"role": "assistant", "content": null, "tool_calls": [{"id": "call_never_made", "type": "function",
                    "function": {"name": "lookup_statute", "arguments": "{}"}}]},
                  {"role": "tool", "tool_call_id": "call_never_made", "content": "nothing"}],
                 "consilium": {"experts": {"allow": ["%s", "%s"]}}}""".formatted(TOOLS, QUESTION, first, reserve));

        // then
        assertThat(continued.statusCode()).as(continued.body()).isEqualTo(200);
        JsonNode metadata = json(continued).path("consilium");
        assertThat(metadata.path("experts").path(0).path("id").asString()).isEqualTo(reserve);
        assertThat(metadata.path("affinity").path("expert").asString()).isEqualTo(reserve);
        assertThat(metadata.path("affinity").path("tool_call_id").asString()).isEqualTo(callId);
        assertThat(RESERVE.received().getFirst().body().path("messages").path(2).path("tool_call_id").asString())
                .isEqualTo(callId);
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(json(unknown).path("consilium").path("experts").path(0).path("id").asString()).isEqualTo(first);
        assertThat(json(unknown).path("consilium").has("affinity")).isFalse();
        assertThat(FIRST.calls()).isEqualTo(firstCallsBefore + 1);
    }

    private BufferedReader openStream(String body) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/chat/completions"))
                        .timeout(Duration.ofSeconds(30))
                        .header("content-type", "application/json")
                        .header("authorization", "Bearer " + ADMIN_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    private static List<JsonNode> dataEvents(List<String> lines) {
        return lines.stream().filter(line -> line.startsWith("data: {")).map(line -> JSON.readTree(line.substring(6))).toList();
    }

    private static String content(JsonNode chunk) {
        return chunk.path("choices").path(0).path("delta").path("content").asString("");
    }

    private static ChatCompletionFunctionTool lookupStatute() {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("lookup_statute")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("q", Map.of("type", "string"))))
                        .build())
                .build()).build();
    }

    private static Reply toolCallAnswer() {
        return Reply.json(200, """
                {"id": "chatcmpl-up", "object": "chat.completion", "created": 1, "model": "up-model",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1",
                   "type": "function", "function": {"name": "lookup_statute", "arguments": "{\\"q\\":\\"deposit\\"}"}}]},
                  "finish_reason": "tool_calls"}],
                 "usage": {"prompt_tokens": 30, "completion_tokens": 12, "total_tokens": 42}}""");
    }

    private static OutputStream events(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("content-type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static void send(OutputStream out, ObjectNode chunk) throws IOException {
        out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void done(OutputStream out) throws IOException {
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static ObjectNode envelope(JsonNode request) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("id", "chatcmpl-up").put("object", "chat.completion.chunk").put("created", 1)
                .put("model", request.path("model").asString());
        return chunk;
    }

    private static ObjectNode contentChunk(JsonNode request, String piece, String finish) {
        ObjectNode chunk = envelope(request);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (piece != null) {
            delta.put("content", piece);
        }
        if (finish != null) {
            choice.put("finish_reason", finish);
        } else {
            choice.putNull("finish_reason");
        }
        return chunk;
    }

    private static ObjectNode toolCallChunk(JsonNode request, boolean opening, String argumentsPiece) {
        ObjectNode chunk = envelope(request);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.putNull("finish_reason");
        ObjectNode delta = choice.putObject("delta");
        ObjectNode call = delta.putArray("tool_calls").addObject().put("index", 0);
        if (opening) {
            delta.put("role", "assistant");
            call.put("id", "call_1").put("type", "function");
            call.putObject("function").put("name", "lookup_statute").put("arguments", argumentsPiece);
        } else {
            call.putObject("function").put("arguments", argumentsPiece);
        }
        return chunk;
    }
}
