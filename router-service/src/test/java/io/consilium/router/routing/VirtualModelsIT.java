package io.consilium.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.consilium.profiler.ProfileService;
import io.consilium.registry.Expert;
import io.consilium.registry.Limits;
import io.consilium.registry.Provider;
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
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The virtual models over experts with distinct measured strengths. Each expert has its own fake
 * upstream so tests can script exactly what it answers; requests allow only this class's experts.
 */
class VirtualModelsIT extends RunningService {

    private static final FakeOpenAiUpstream CALC_STRONG = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream CALC_GOOD = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream LAW_STRONG = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream LAW_GOOD = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream AGGREGATOR = FakeOpenAiUpstream.start();
    /** Always fails; each failure test uses its own expert on it, so no circuit opens across tests. */
    private static final FakeOpenAiUpstream FAILING = FakeOpenAiUpstream.start();
    private static final List<FakeOpenAiUpstream> ALL =
            List.of(CALC_STRONG, CALC_GOOD, LAW_STRONG, LAW_GOOD, AGGREGATOR, FAILING);
    private static final String ALLOW =
            "\"consilium\": {\"experts\": {\"allow\": [\"vm-calc-strong\", \"vm-calc-good\", \"vm-law-strong\", \"vm-law-good\"]}";
    private static final String CALCULUS = "What is the derivative of x^3 sin(x)? Show the product rule.";
    private static final String LAW = "Can my landlord keep my deposit for normal wear and tear under my lease?";
    private static boolean registered;

    @Autowired
    private ProfileService profiles;

    @AfterAll
    static void stopUpstreams() {
        ALL.forEach(FakeOpenAiUpstream::close);
    }

    @BeforeEach
    void registerExperts() {
        ALL.forEach(FakeOpenAiUpstream::reset);
        FAILING.answerWith(Reply.error(500, "down"));
        if (registered) {
            return;
        }
        registered = true;
        expert("vm-calc-strong", CALC_STRONG, Map.of("math.calculus", 0.95, "law", 0.2));
        expert("vm-calc-good", CALC_GOOD, Map.of("math.calculus", 0.8, "law", 0.3));
        expert("vm-law-strong", LAW_STRONG, Map.of("law", 0.95, "math.calculus", 0.2));
        expert("vm-law-good", LAW_GOOD, Map.of("law", 0.8, "math.calculus", 0.3));
        for (int i = 1; i <= 4; i++) {
            expert("vm-fail-" + i, FAILING, Map.of("math.calculus", 0.9, "law", 0.9));
        }
        registry.register(Expert.builder("vm-aggregator").provider(Provider.OPENAI).baseUrl(AGGREGATOR.baseUrl())
                .model("agg").roleIds(List.of("aggregator")).build());
        for (int i = 0; i < 60; i++) {
            profiles.recordFusion("vm-aggregator", true);
        }
    }

    /** Registers an expert and gives it a measured profile: 40 graded answers per skill at these rates. */
    private void expert(String id, FakeOpenAiUpstream upstream, Map<String, Double> accuracy) {
        registry.register(Expert.builder(id).provider(Provider.OPENAI).baseUrl(upstream.baseUrl()).model(id)
                .limits(new Limits(8, Duration.ofSeconds(2), 8192)).build());
        accuracy.forEach((skill, rate) -> {
            for (int i = 0; i < 40; i++) {
                profiles.recordAnswer(id, Map.of(skill, 1.0), i < rate * 40);
            }
        });
    }

    private HttpResponse<String> ask(String model, String question, String options) {
        return postJson("/v1/chat/completions", "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", "
                + "\"content\": \"" + question + "\"}], " + options + "}}");
    }

    private static List<String> expertIds(HttpResponse<String> response) {
        List<String> ids = new ArrayList<>();
        json(response).path("consilium").path("experts").forEach(expert -> ids.add(expert.path("id").asString()));
        return ids;
    }

    @Test
    void should_send_a_calculus_question_to_the_calculus_experts_and_a_law_question_to_the_law_experts() {
        // when
        HttpResponse<String> calculus = ask("consilium/auto", CALCULUS, ALLOW + ", \"k\": 2, \"fusion\": \"best\"");
        HttpResponse<String> law = ask("consilium/auto", LAW, ALLOW + ", \"k\": 2, \"fusion\": \"best\"");

        // then
        assertThat(calculus.statusCode()).as(calculus.body()).isEqualTo(200);
        assertThat(expertIds(calculus)).containsExactlyInAnyOrder("vm-calc-strong", "vm-calc-good");
        assertThat(expertIds(law)).containsExactlyInAnyOrder("vm-law-strong", "vm-law-good");
        JsonNode metadata = json(calculus).path("consilium");
        assertThat(metadata.path("skills").path(0).path("id").asString()).isEqualTo("math.calculus");
        assertThat(metadata.path("fusion").asString()).isIn("best");
        assertThat(calculus.headers().firstValue("x-consilium-experts").orElseThrow()).contains("vm-calc-strong");
    }

    @Test
    void should_answer_route_with_the_single_best_expert() {
        HttpResponse<String> routed = ask("consilium/route", LAW, ALLOW);

        assertThat(routed.statusCode()).isEqualTo(200);
        assertThat(expertIds(routed)).containsExactly("vm-law-strong");
        assertThat(json(routed).path("consilium").path("fusion").asString()).isEqualTo("none");
        assertThat(json(routed).path("choices").path(0).path("message").path("content").asString()).startsWith("echo:");
    }

    @Test
    void should_honour_allow_deny_and_k() {
        HttpResponse<String> denied = ask("consilium/auto", CALCULUS, "\"consilium\": {\"experts\": {\"allow\": "
                + "[\"vm-calc-strong\", \"vm-calc-good\", \"vm-law-good\"], \"deny\": [\"vm-calc-strong\"]}, \"k\": 1");
        HttpResponse<String> three = ask("consilium/auto", CALCULUS, ALLOW + ", \"k\": 3, \"fusion\": \"vote\"");

        assertThat(expertIds(denied)).containsExactly("vm-calc-good");
        assertThat(expertIds(three)).hasSize(3).contains("vm-calc-strong", "vm-calc-good");
    }

    @Test
    void should_explain_the_plan_that_chat_then_follows_without_calling_anyone() {
        // when
        HttpResponse<String> explained = postJson("/v1/routing/explain", "{\"model\": \"consilium/auto\", "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"" + CALCULUS + "\"}], " + ALLOW + ", \"k\": 2}}");
        int callsAfterExplain = CALC_STRONG.calls() + CALC_GOOD.calls() + LAW_STRONG.calls() + LAW_GOOD.calls();
        HttpResponse<String> chat = ask("consilium/auto", CALCULUS, ALLOW + ", \"k\": 2, \"fusion\": \"vote\"");

        // then
        assertThat(explained.statusCode()).as(explained.body()).isEqualTo(200);
        assertThat(callsAfterExplain).isZero();
        List<String> planned = new ArrayList<>();
        json(explained).path("experts").forEach(expert -> planned.add(expert.path("id").asString()));
        assertThat(planned).containsExactlyInAnyOrderElementsOf(expertIds(chat));
        assertThat(json(explained).path("experts").path(0).path("driving_skills").path(0).path("id").asString())
                .isEqualTo("math.calculus");
    }

    @Test
    void should_answer_from_the_others_when_one_expert_fails_and_record_the_failure() {
        // given: one of the two recruited experts is down, and no reserve is allowed
        CALC_GOOD.enqueue(Reply.completion("The answer is (B)."));

        // when
        HttpResponse<String> response = ask("consilium/auto", CALCULUS, "\"consilium\": {\"experts\": {\"allow\": "
                + "[\"vm-fail-1\", \"vm-calc-good\"]}, \"k\": 2, \"fusion\": \"vote\"");

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode experts = json(response).path("consilium").path("experts");
        assertThat(experts.toString()).contains("\"id\":\"vm-fail-1\"").contains("\"outcome\":\"upstream_error\"");
        assertThat(response.headers().firstValue("x-consilium-experts")).contains("vm-calc-good");
        assertThat(json(response).path("choices").path(0).path("message").path("content").asString())
                .isNotBlank();
    }

    @Test
    void should_answer_502_naming_every_expert_when_all_fail() {
        HttpResponse<String> response = ask("consilium/auto", LAW, "\"consilium\": {\"experts\": {\"allow\": "
                + "[\"vm-fail-2\", \"vm-fail-3\"]}, \"k\": 2, \"fusion\": \"vote\"");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(json(response).path("error").path("message").asString())
                .contains("vm-fail-2 (upstream_error)").contains("vm-fail-3 (upstream_error)");
    }

    @Test
    void should_skip_the_aggregator_when_the_experts_agree() {
        CALC_STRONG.enqueue(Reply.completion("Using the product rule, the answer is (C)."));
        CALC_GOOD.enqueue(Reply.completion("**C**"));

        HttpResponse<String> response = ask("consilium/auto", CALCULUS, ALLOW + ", \"k\": 2, \"aggregator\": \"vm-aggregator\"");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("consilium").path("consensus").asBoolean()).isTrue();
        assertThat(AGGREGATOR.calls()).isZero();
        assertThat(json(response).path("choices").path(0).path("message").path("content").asString()).contains("(C)");
    }

    @Test
    void should_give_the_aggregator_exactly_the_answers_that_arrived_and_stream_its_synthesis() {
        // given: three experts asked, one fails (no reserve allowed); the aggregator writes slowly
        CALC_STRONG.enqueue(Reply.completion("The answer is (A)."));
        CALC_GOOD.enqueue(Reply.completion("I think the answer is (D)."));
        AGGREGATOR.enqueue(Reply.stream(List.of("After ", "checking, ", "the answer ", "is (A)."), Duration.ofMillis(250)));
        List<Long> arrivals = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        ChatCompletionChunk last = null;

        // when
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("consilium/auto").addUserMessage(CALCULUS)
                        .putAdditionalBodyProperty("consilium", JsonValue.from(Map.of(
                                "experts", Map.of("allow", List.of("vm-calc-strong", "vm-calc-good", "vm-fail-4")),
                                "k", 3, "aggregator", "vm-aggregator")))
                        .build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                last = chunk;
                chunk.choices().forEach(choice -> choice.delta().content().filter(piece -> !piece.isEmpty()).ifPresent(piece -> {
                    arrivals.add(System.nanoTime());
                    text.append(piece);
                }));
            }
        }

        // then
        assertThat(text.toString()).isEqualTo("After checking, the answer is (A).");
        assertThat(Duration.ofNanos(arrivals.getLast() - arrivals.getFirst())).isGreaterThan(Duration.ofMillis(500));
        String sentToAggregator = AGGREGATOR.lastReceived().body().path("messages").toString();
        assertThat(sentToAggregator).contains("The answer is (A).").contains("I think the answer is (D).")
                .contains("[1]").contains("[2]").doesNotContain("[3]");
        assertThat(last).isNotNull();
        JsonNode metadata = JSON.readTree(JSON.writeValueAsString(last._additionalProperties().get("consilium").convert(Map.class)));
        assertThat(metadata.path("fusion").asString()).isEqualTo("synthesize");
        assertThat(metadata.path("aggregator").asString()).isEqualTo("vm-aggregator");
        assertThat(last.usage()).as("no usage chunk unless the client asks for one").isEmpty();
    }

    @Test
    void should_let_the_sdk_parse_a_fused_answer_with_its_metadata() {
        CALC_STRONG.enqueue(Reply.completion("x = 12"));
        CALC_GOOD.enqueue(Reply.completion("the answer is 14"));
        AGGREGATOR.enqueue(Reply.completion("Checked both: 12 is right."));

        ChatCompletion completion = openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("consilium/auto").addUserMessage(CALCULUS)
                .putAdditionalBodyProperty("consilium", JsonValue.from(Map.of(
                        "experts", Map.of("allow", List.of("vm-calc-strong", "vm-calc-good")), "k", 2,
                        "aggregator", "vm-aggregator")))
                .build());

        assertThat(completion.choices().getFirst().message().content()).contains("Checked both: 12 is right.");
        assertThat(completion.model()).isEqualTo("consilium/auto");
        assertThat(completion.usage()).hasValueSatisfying(usage -> assertThat(usage.totalTokens()).isEqualTo(54));
        assertThat(completion._additionalProperties()).containsKey("consilium");
    }

    @Test
    void should_reject_bad_consilium_options_naming_the_field() {
        for (String[] bad : new String[][] {
                {"\"consilium\": {\"k\": 0", "consilium.k"},
                {"\"consilium\": {\"strategy\": \"magic\"", "consilium.strategy"},
                {"\"consilium\": {\"fusion\": \"average\"", "consilium.fusion"},
                {"\"consilium\": {\"max_cost_usd\": -1", "consilium.max_cost_usd"},
                {"\"consilium\": {\"experts\": {\"allow\": [\"nobody\"]}", "consilium.experts.allow"},
                {"\"consilium\": {\"aggregator\": \"vm-calc-strong\"", "consilium.aggregator"},
                {"\"consilium\": {\"colour\": \"red\"", "consilium.colour"}}) {
            HttpResponse<String> response = ask("consilium/auto", LAW, bad[0]);
            assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(json(response).path("error").path("param").asString()).isEqualTo(bad[1]);
        }
    }

    private JsonNode explain(String question, String options) {
        HttpResponse<String> response = postJson("/v1/routing/explain", "{\"model\": \"consilium/auto\", \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"" + question + "\"}], " + options + "}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    @Test
    void should_recruit_fewer_experts_for_a_clear_question_than_for_an_unclear_one() {
        JsonNode clear = explain(CALCULUS, ALLOW);
        JsonNode unclear = explain("code, contracts and cells", ALLOW);

        assertThat(clear.path("uncertain").asBoolean()).isFalse();
        assertThat(unclear.path("uncertain").asBoolean()).isTrue();
        assertThat(clear.path("k").asInt()).isLessThan(unclear.path("k").asInt());
        assertThat(unclear.path("k").asInt()).isEqualTo(4);
    }

    @Test
    void should_keep_within_the_budget_with_the_cost_strategy() {
        // given: a strong but expensive calculus expert
        if (registry.find("vm-pricey").isEmpty()) {
            registry.register(Expert.builder("vm-pricey").provider(Provider.OPENAI).baseUrl(CALC_STRONG.baseUrl())
                    .model("pricey").cost(new io.consilium.registry.Cost(200, 800)).skills(List.of("math.calculus")).build());
        }
        String allow = "\"consilium\": {\"experts\": {\"allow\": [\"vm-pricey\", \"vm-calc-good\"]}, \"strategy\": \"cost\"";

        // when
        JsonNode cheap = explain(CALCULUS, allow + ", \"max_cost_usd\": 0.01, \"k\": 2");
        JsonNode generous = explain(CALCULUS, allow + ", \"max_cost_usd\": 10, \"k\": 2");
        HttpResponse<String> impossible = postJson("/v1/routing/explain", "{\"model\": \"consilium/auto\", \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"" + CALCULUS + "\"}], \"consilium\": {\"experts\": "
                + "{\"allow\": [\"vm-pricey\"]}, \"strategy\": \"cost\", \"max_cost_usd\": 0.0001}}");

        // then
        assertThat(cheap.path("strategy").asString()).isEqualTo("cost");
        assertThat(cheap.path("experts").toString()).contains("vm-calc-good").doesNotContain("vm-pricey");
        assertThat(generous.path("experts").toString()).contains("vm-calc-good").contains("vm-pricey");
        assertThat(impossible.statusCode()).isEqualTo(400);
        assertThat(json(impossible).path("error").path("param").asString()).isEqualTo("consilium.max_cost_usd");
    }

    @Test
    void should_recruit_only_image_experts_for_a_request_with_an_image() {
        // given
        if (registry.find("vm-vision").isEmpty()) {
            registry.register(Expert.builder("vm-vision").provider(Provider.OPENAI).baseUrl(LAW_GOOD.baseUrl())
                    .model("vision").modalityIds(List.of("text", "image")).build());
        }

        // when
        HttpResponse<String> response = postJson("/v1/routing/explain", "{\"model\": \"consilium/auto\", \"messages\": "
                + "[{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"" + CALCULUS + "\"}, "
                + "{\"type\": \"image_url\", \"image_url\": {\"url\": \"https://example.com/graph.png\"}}]}], "
                + "\"consilium\": {\"experts\": {\"allow\": [\"vm-vision\", \"vm-calc-strong\"]}}}");

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("experts").toString()).contains("vm-vision").doesNotContain("vm-calc-strong");
    }

    @Test
    void should_stop_the_aggregator_when_the_client_leaves_a_streamed_synthesis() throws Exception {
        // given: two disagreeing experts and an aggregator that writes for several seconds
        CALC_STRONG.enqueue(Reply.completion("The answer is (A)."));
        CALC_GOOD.enqueue(Reply.completion("The answer is (D)."));
        List<String> pieces = java.util.Collections.nCopies(30, "more ");
        AGGREGATOR.enqueue(Reply.stream(pieces, Duration.ofMillis(150)));
        byte[] body = ("{\"model\": \"consilium/auto\", \"stream\": true, \"messages\": [{\"role\": \"user\", "
                + "\"content\": \"" + CALCULUS + "\"}], \"consilium\": {\"experts\": {\"allow\": "
                + "[\"vm-calc-strong\", \"vm-calc-good\"]}, \"k\": 2, \"aggregator\": \"vm-aggregator\"}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        // when: the client reads the first words of the synthesis, then hangs up
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN_KEY + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.contains("\"content\":\"more")) {
                    break;
                }
            }
        }

        // then: the aggregator's connection is dropped long before it would have finished
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> AGGREGATOR.brokenWrites() >= 1);
    }

    @Test
    void should_include_each_experts_own_answer_only_when_asked() {
        // given
        CALC_STRONG.answerWith(Reply.completion("The answer is (A)."));
        CALC_GOOD.answerWith(Reply.completion("The answer is (D)."));
        String allowCalc = "\"consilium\": {\"k\": 2, \"fusion\": \"vote\", \"experts\": {\"allow\": "
                + "[\"vm-calc-strong\", \"vm-calc-good\"]}";

        // when
        JsonNode asked = json(ask("consilium/auto", CALCULUS, allowCalc + ", \"include_answers\": true"));
        JsonNode plain = json(ask("consilium/auto", CALCULUS, allowCalc));
        HttpResponse<String> invalid = ask("consilium/auto", CALCULUS, allowCalc + ", \"include_answers\": \"yes\"");

        // then
        List<String> answers = new ArrayList<>();
        asked.path("consilium").path("experts").forEach(expert -> answers.add(expert.path("answer").asString()));
        assertThat(answers).containsExactlyInAnyOrder("The answer is (A).", "The answer is (D).");
        plain.path("consilium").path("experts").forEach(expert -> assertThat(expert.has("answer")).isFalse());
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).path("error").path("param").asString()).isEqualTo("consilium.include_answers");
    }

    @Test
    void should_refuse_legacy_functions_on_auto_naming_the_field_instead_of_losing_the_function_call() {
        // given
        String functions = "\"functions\": [{\"name\": \"lookup_statute\", "
                + "\"parameters\": {\"type\": \"object\", \"properties\": {\"q\": {\"type\": \"string\"}}}}], ";

        // when
        HttpResponse<String> response = ask("consilium/auto", LAW, functions + ALLOW);

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).path("error");
        assertThat(error.path("param").asString()).isEqualTo("functions");
        assertThat(error.path("message").asString()).contains("consilium/auto").contains("'tools'");
        assertThat(ALL).allSatisfy(upstream -> assertThat(upstream.calls()).isZero());
    }

    @Test
    void should_refuse_on_auto_the_options_a_fused_answer_cannot_honour_naming_each() {
        for (String[] option : new String[][] {{"logprobs", "\"logprobs\": true"}, {"top_logprobs", "\"top_logprobs\": 2"},
                {"modalities", "\"modalities\": [\"text\", \"audio\"]"}}) {
            // when
            HttpResponse<String> refused = ask("consilium/auto", LAW, option[1] + ", " + ALLOW);
            HttpResponse<String> routed = ask("consilium/route", LAW, option[1] + ", " + ALLOW);

            // then
            assertThat(refused.statusCode()).as(option[0]).isEqualTo(400);
            assertThat(json(refused).path("error").path("param").asString()).isEqualTo(option[0]);
            assertThat(routed.statusCode()).as(option[0] + " on route: " + routed.body()).isEqualTo(200);
        }
        assertThat(ask("consilium/auto", LAW, "\"logprobs\": false, " + ALLOW).statusCode()).isEqualTo(200);
    }

    @Test
    void should_refuse_n_above_one_on_auto_naming_n_instead_of_dropping_choices() {
        for (String model : List.of("consilium/auto")) {
            for (String stream : List.of("false", "true")) {
                // when
                HttpResponse<String> response = ask(model, LAW, "\"n\": 2, \"stream\": " + stream + ", " + ALLOW);

                // then
                assertThat(response.statusCode()).as(model + " stream " + stream).isEqualTo(400);
                JsonNode error = json(response).path("error");
                assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
                assertThat(error.path("param").asString()).isEqualTo("n");
                assertThat(error.path("message").asString()).contains(model).contains("expert by its id");
            }
        }
        assertThat(ALL).allSatisfy(upstream -> assertThat(upstream.calls()).isZero());
        assertThat(ask("consilium/auto", LAW, "\"n\": 1, " + ALLOW).statusCode()).isEqualTo(200);
    }

    @Test
    void should_relay_every_choice_when_n_is_2_to_an_expert_id() {
        // given
        LAW_STRONG.answerWith(Reply.json(200, """
                {"id": "chatcmpl-two", "object": "chat.completion", "created": 1, "model": "vm-model",
                 "choices": [
                   {"index": 0, "message": {"role": "assistant", "content": "first"}, "finish_reason": "stop"},
                   {"index": 1, "message": {"role": "assistant", "content": "second"}, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11}}"""));

        // when
        ChatCompletion completion = openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("vm-law-strong").addUserMessage(LAW).n(2).build());

        // then
        assertThat(completion.choices()).extracting(choice -> choice.message().content().orElseThrow())
                .containsExactly("first", "second");
        assertThat(LAW_STRONG.lastRequestBody().path("n").asInt()).isEqualTo(2);
    }

    @Test
    void should_list_the_virtual_models() {
        String models = send("GET", "/v1/models", null, null).body();
        assertThat(models).contains("\"consilium/auto\"").contains("\"consilium/route\"");
        assertThat(send("GET", "/v1/models/consilium/auto", null, null).statusCode()).isEqualTo(200);
    }
}
