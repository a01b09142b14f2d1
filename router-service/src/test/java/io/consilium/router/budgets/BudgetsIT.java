package io.consilium.router.budgets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.consilium.profiler.ProfileService;
import io.consilium.registry.Cost;
import io.consilium.registry.Expert;
import io.consilium.registry.Limits;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Budgets and routing ceilings of API keys on the shared service: what a request is charged (every expert
 * asked, reserves and the aggregator, at their prices and the usage the fake upstreams report), the 429 once a
 * budget is spent, and max_k and the allowed strategies. Every fake upstream reports 11 prompt tokens and 7
 * completion tokens per answer (11 and one per piece for a stream).
 */
class BudgetsIT extends RunningService {

    private static final FakeOpenAiUpstream FIRST = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream SECOND = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream AGGREGATOR = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream FAILING = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream EMBEDDINGS = FakeOpenAiUpstream.start();
    private static final List<FakeOpenAiUpstream> ALL = List.of(FIRST, SECOND, AGGREGATOR, FAILING, EMBEDDINGS);
    private static final Cost FIRST_PRICE = new Cost(1.0, 2.0);
    private static final Cost SECOND_PRICE = new Cost(3.0, 5.0);
    private static final Cost AGGREGATOR_PRICE = new Cost(10.0, 20.0);
    private static final Cost FAILING_PRICE = new Cost(50.0, 50.0);
    private static final Cost EMBEDDING_PRICE = new Cost(0.5, 0);
    private static final String CALCULUS = "What is the derivative of x^3 sin(x)? Show the product rule.";
    private static final String BOTH = "\"experts\": {\"allow\": [\"budget-first\", \"budget-second\"]}";
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
        expert("budget-first", FIRST, FIRST_PRICE, 0.3);
        expert("budget-second", SECOND, SECOND_PRICE, 0.3);
        registry.register(Expert.builder("budget-aggregator").provider(Provider.OPENAI).baseUrl(AGGREGATOR.baseUrl())
                .model("agg").roleIds(List.of("aggregator")).cost(AGGREGATOR_PRICE).build());
        registry.register(Expert.builder("budget-embedder").provider(Provider.OPENAI).baseUrl(EMBEDDINGS.baseUrl())
                .model("embed").roleIds(List.of("embedding")).cost(EMBEDDING_PRICE).build());
    }

    /** Registers a priced expert, measured at {@code calculus} on calculus questions. */
    private void expert(String id, FakeOpenAiUpstream upstream, Cost cost, double calculus) {
        registry.register(Expert.builder(id).provider(Provider.OPENAI).baseUrl(upstream.baseUrl()).model(id).cost(cost)
                .limits(new Limits(8, Duration.ofSeconds(5), 8192)).build());
        for (int i = 0; i < 40; i++) {
            profiles.recordAnswer(id, Map.of("math.calculus", 1.0), i < calculus * 40);
        }
    }

    private JsonNode createKey(String grant) {
        HttpResponse<String> created = postJson("/admin/api/keys", grant);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created);
    }

    private HttpResponse<String> chat(String key, String model, String question, String consilium) {
        return send("POST", "/v1/chat/completions", "application/json", "{\"model\": \"" + model + "\", \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"" + question + "\"}], \"consilium\": {" + consilium + "}}", key);
    }

    private double spent(JsonNode key) {
        HttpResponse<String> shown = send("GET", "/admin/api/keys/" + key.path("id").asString(), null, null);
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
        return json(shown).path("spent_usd").asDouble();
    }

    private static double price(Cost cost, long promptTokens, long completionTokens) {
        return cost.priceOf(promptTokens, completionTokens);
    }

    private static List<String> expertIds(HttpResponse<String> response) {
        List<String> ids = new ArrayList<>();
        json(response).path("consilium").path("experts").forEach(expert -> ids.add(expert.path("id").asString()));
        return ids;
    }

    @Test
    void should_charge_every_expert_asked_and_the_aggregator_at_their_own_prices() {
        // given: the two experts disagree, so the aggregator writes the answer
        JsonNode key = createKey("{\"name\": \"fan-out\", \"budget_usd\": 5, \"budget_period\": \"month\"}");
        FIRST.enqueue(Reply.completion("x = 12"));
        SECOND.enqueue(Reply.completion("the answer is 14"));
        AGGREGATOR.enqueue(Reply.completion("Checked both: 12 is right."));

        // when
        HttpResponse<String> answered = chat(key.path("key").asString(), "consilium/auto", CALCULUS,
                BOTH + ", \"k\": 2, \"fusion\": \"synthesize\", \"aggregator\": \"budget-aggregator\"");

        // then
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(AGGREGATOR.calls()).isEqualTo(1);
        double expected = price(FIRST_PRICE, 11, 7) + price(SECOND_PRICE, 11, 7) + price(AGGREGATOR_PRICE, 11, 7);
        assertThat(spent(key)).isCloseTo(expected, within(1e-9)).isPositive();
        // and: the same rule as the response's own report of what each call cost
        JsonNode metadata = json(answered).path("consilium");
        double reported = metadata.path("aggregator_call").path("cost_usd").asDouble();
        for (JsonNode expert : metadata.path("experts")) {
            reported += expert.path("cost_usd").asDouble();
        }
        assertThat(reported).isCloseTo(expected, within(1e-9));
    }

    @Test
    void should_charge_a_streamed_synthesis_with_the_usage_of_its_last_chunk() {
        // given
        JsonNode key = createKey("{\"name\": \"streamed\", \"budget_usd\": 5}");
        FIRST.enqueue(Reply.completion("x = 12"));
        SECOND.enqueue(Reply.completion("the answer is 14"));
        AGGREGATOR.enqueue(Reply.stream(List.of("Twelve ", "is ", "right."), Duration.ZERO));

        // when
        HttpResponse<String> streamed = send("POST", "/v1/chat/completions", "application/json",
                "{\"model\": \"consilium/auto\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \""
                        + CALCULUS + "\"}], \"consilium\": {" + BOTH + ", \"k\": 2, \"aggregator\": \"budget-aggregator\"}}",
                key.path("key").asString());

        // then: the aggregator's stream reported 11 prompt tokens and one completion token per piece
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
        assertThat(streamed.body()).contains("[DONE]").doesNotContain("\"error\"");
        assertThat(spent(key)).isCloseTo(price(FIRST_PRICE, 11, 7) + price(SECOND_PRICE, 11, 7)
                + price(AGGREGATOR_PRICE, 11, 3), within(1e-9));
    }

    @Test
    void should_charge_the_reserve_that_answered_and_nothing_for_the_expert_that_failed() {
        // given: the best calculus expert fails on every try, the next one stands in
        Expert failing = registry.register(Expert.builder("budget-failing").provider(Provider.OPENAI)
                .baseUrl(FAILING.baseUrl()).model("f").cost(FAILING_PRICE).build());
        for (int i = 0; i < 40; i++) {
            profiles.recordAnswer(failing.id(), Map.of("math.calculus", 1.0), true);
        }
        JsonNode key = createKey("{\"name\": \"reserve\", \"budget_usd\": 5}");

        // when
        HttpResponse<String> routed = chat(key.path("key").asString(), "consilium/route", CALCULUS,
                "\"experts\": {\"allow\": [\"budget-failing\", \"budget-first\"]}");

        // then
        assertThat(routed.statusCode()).as(routed.body()).isEqualTo(200);
        assertThat(expertIds(routed)).containsExactly("budget-failing", "budget-first");
        assertThat(FAILING.calls()).isPositive();
        assertThat(spent(key)).isCloseTo(price(FIRST_PRICE, 11, 7), within(1e-9));
    }

    @Test
    void should_charge_embeddings_at_the_embedding_experts_price() {
        // given
        JsonNode key = createKey("{\"name\": \"embeddings\", \"budget_usd\": 1, \"budget_period\": \"day\"}");

        // when: the fake counts one token per word
        HttpResponse<String> embedded = send("POST", "/v1/embeddings", "application/json",
                "{\"model\": \"budget-embedder\", \"input\": [\"one two three\", \"four five\"]}", key.path("key").asString());

        // then
        assertThat(embedded.statusCode()).as(embedded.body()).isEqualTo(200);
        assertThat(json(embedded).path("usage").path("prompt_tokens").asLong()).isEqualTo(5);
        assertThat(spent(key)).isCloseTo(price(EMBEDDING_PRICE, 5, 0), within(1e-12)).isPositive();
    }

    @Test
    void should_let_the_request_that_crosses_the_budget_complete_and_refuse_the_next_until_the_day_ends() {
        // given: one answer of the first expert costs $0.000025, more than the whole budget
        JsonNode key = createKey("{\"name\": \"spent\", \"budget_usd\": 0.00001, \"budget_period\": \"day\"}");
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(baseUrl() + "/v1").apiKey(key.path("key").asString())
                .maxRetries(0).timeout(Duration.ofSeconds(30)).build();
        ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder().model("budget-first").addUserMessage("hi").build();

        // when
        var crossing = client.chat().completions().create(ask);

        // then
        assertThat(crossing.choices()).hasSize(1);
        assertThatThrownBy(() -> client.chat().completions().create(ask)).isInstanceOfSatisfying(RateLimitException.class,
                refused -> {
                    assertThat(refused.body().toString()).contains("budget_exceeded").contains("spent its budget")
                            .contains("day");
                    long retryAfter = Long.parseLong(refused.headers().values("retry-after").getFirst());
                    long untilMidnight = Duration.between(Instant.now(), BudgetPeriod.DAY.end(Instant.now())).toSeconds();
                    assertThat(retryAfter).isBetween(Math.max(1, untilMidnight - 30), untilMidnight + 30);
                });
        assertThat(FIRST.calls()).isEqualTo(1);
        assertThat(spent(key)).isCloseTo(price(FIRST_PRICE, 11, 7), within(1e-12));
    }

    @Test
    void should_refuse_more_experts_than_the_keys_max_k_and_hold_the_planners_own_choice_to_it() {
        // given
        String key = createKey("{\"name\": \"one-expert\", \"max_k\": 1}").path("key").asString();
        String vague = "Tell me something.";

        // when
        HttpResponse<String> asked = chat(key, "consilium/auto", vague, BOTH + ", \"k\": 2");
        HttpResponse<String> unbounded = chat(ADMIN_KEY, "consilium/auto", vague, BOTH + ", \"fusion\": \"vote\"");
        HttpResponse<String> bounded = chat(key, "consilium/auto", vague, BOTH + ", \"fusion\": \"vote\"");
        HttpResponse<String> explained = send("POST", "/v1/routing/explain", "application/json", "{\"model\": "
                + "\"consilium/auto\", \"messages\": [{\"role\": \"user\", \"content\": \"" + vague + "\"}], "
                + "\"consilium\": {" + BOTH + ", \"fusion\": \"vote\"}}", key);

        // then
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(400);
        assertThat(json(asked).path("error").path("param").asString()).isEqualTo("consilium.k");
        assertThat(json(asked).path("error").path("message").asString()).contains("at most 1").contains("2");
        assertThat(expertIds(unbounded)).as("without a ceiling the planner asks both").hasSize(2);
        assertThat(bounded.statusCode()).as(bounded.body()).isEqualTo(200);
        assertThat(expertIds(bounded)).hasSize(1);
        assertThat(explained.statusCode()).as(explained.body()).isEqualTo(200);
        assertThat(json(explained).path("experts")).as("the plan explained is the one the key gets").hasSize(1);
    }

    @Test
    void should_refuse_a_strategy_the_key_may_not_use_and_plan_with_an_allowed_one_when_none_is_asked() {
        // given
        String key = createKey("{\"name\": \"coe-only\", \"strategies\": [\"coe\"]}").path("key").asString();

        // when
        HttpResponse<String> asked = chat(key, "consilium/auto", CALCULUS, BOTH + ", \"strategy\": \"symbolic-moe\"");
        HttpResponse<String> unasked = chat(key, "consilium/auto", CALCULUS, BOTH);

        // then
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(400);
        assertThat(json(asked).path("error").path("param").asString()).isEqualTo("consilium.strategy");
        assertThat(json(asked).path("error").path("message").asString()).contains("coe").contains("symbolic-moe");
        assertThat(unasked.statusCode()).as(unasked.body()).isEqualTo(200);
        assertThat(json(unasked).path("consilium").path("strategy").asString()).isEqualTo("coe");
        assertThat(expertIds(unasked)).hasSize(1);
    }

    @Test
    void should_refuse_bad_budget_and_ceiling_fields_naming_each() {
        Map<String, String> refused = Map.of(
                "{\"name\": \"x\", \"budget_usd\": -1}", "budget_usd",
                "{\"name\": \"x\", \"budget_usd\": \"ten\"}", "budget_usd",
                "{\"name\": \"x\", \"budget_period\": \"week\"}", "budget_period",
                "{\"name\": \"x\", \"max_k\": 9}", "max_k",
                "{\"name\": \"x\", \"max_k\": 1.5}", "max_k",
                "{\"name\": \"x\", \"strategies\": [\"fastest\"]}", "strategies",
                "{\"name\": \"x\", \"budget\": 5}", "budget");
        refused.forEach((grant, field) -> {
            HttpResponse<String> response = postJson("/admin/api/keys", grant);
            assertThat(response.statusCode()).as(grant).isEqualTo(400);
            assertThat(json(response).path("error").path("param").asString()).as(grant).isEqualTo(field);
            assertThat(json(response).path("error").path("message").asString()).as(grant).contains(field);
        });
    }

    @Test
    void should_change_a_keys_budget_and_ceiling_and_refuse_changes_to_a_revoked_or_unknown_key() {
        // given
        JsonNode key = createKey("{\"name\": \"changing\", \"requests_per_minute\": 10}");
        String id = key.path("id").asString();

        // when
        HttpResponse<String> changed = send("PATCH", "/admin/api/keys/" + id, "application/json",
                "{\"budget_usd\": 2.5, \"budget_period\": \"day\", \"max_k\": 2, \"strategies\": [\"cost\", \"coe\"]}");
        HttpResponse<String> bad = send("PATCH", "/admin/api/keys/" + id, "application/json", "{\"max_k\": -1}");

        // then
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        JsonNode view = json(send("GET", "/admin/api/keys/" + id, null, null));
        assertThat(view.path("budget_usd").asDouble()).isEqualTo(2.5);
        assertThat(view.path("budget_period").asString()).isEqualTo("day");
        assertThat(view.path("spent_usd").asDouble()).isZero();
        assertThat(view.path("budget_resets_at").asString()).isEqualTo(BudgetPeriod.DAY.end(Instant.now()).toString());
        assertThat(view.path("max_k").asInt()).isEqualTo(2);
        assertThat(view.path("strategies").toString()).isEqualTo("[\"coe\",\"cost\"]");
        assertThat(view.path("requests_per_minute").asInt()).as("a field not sent stays").isEqualTo(10);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("error").path("param").asString()).isEqualTo("max_k");

        // when: revoked, then changed
        send("DELETE", "/admin/api/keys/" + id, null, null);
        HttpResponse<String> afterRevocation = send("PATCH", "/admin/api/keys/" + id, "application/json", "{\"max_k\": 3}");
        HttpResponse<String> unknown = send("PATCH", "/admin/api/keys/key_missing", "application/json", "{\"max_k\": 3}");

        // then
        assertThat(afterRevocation.statusCode()).as(afterRevocation.body()).isEqualTo(409);
        assertThat(json(afterRevocation).path("error").path("code").asString()).isEqualTo("key_revoked");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }
}
