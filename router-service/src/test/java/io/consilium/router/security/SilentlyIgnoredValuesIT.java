package io.consilium.router.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import io.consilium.registry.Role;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Values the service used to accept and then ignore: each must be a 400 in the OpenAI error shape that
 * names the field, so that a typo is caught when it is made rather than found out later.
 */
class SilentlyIgnoredValuesIT extends RunningService {

    private static final String ONE_ITEM = """
            [{"id": "n1", "question": "What is 6 times 7?", "answer": 42, "answer_type": "number"}]""";

    @Test
    void should_refuse_a_blank_exemplar_when_adding_exemplars_or_a_skill() {
        // when
        HttpResponse<String> added = postJson("/admin/api/taxonomy/skills/law/exemplars",
                "{\"exemplars\": [\"Is a verbal agreement binding in court?\", \"   \"]}");
        HttpResponse<String> onlyBlank = postJson("/admin/api/taxonomy/skills/law/exemplars", "{\"exemplars\": [\"\"]}");
        HttpResponse<String> skill = postJson("/admin/api/taxonomy/skills", """
                {"id": "security.blank-exemplar", "description": "a skill with one blank exemplar",
                 "exemplars": ["one question", "two questions", "three questions", "four questions",
                   "five questions", ""]}""");

        // then
        assertInvalid(added, "exemplars", "exemplars[1]");
        assertInvalid(onlyBlank, "exemplars", "exemplars[0]");
        assertInvalid(skill, "exemplars", "exemplars[5]");
        assertThat(send("GET", "/admin/api/taxonomy/skills/security.blank-exemplar", null, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void should_refuse_an_api_key_granted_models_that_do_not_exist_and_name_them() {
        // given
        Expert known = registerRemote("http://127.0.0.1:9/v1");

        // when
        HttpResponse<String> refused = postJson("/admin/api/keys", """
                {"name": "typo", "models": ["consilium/auto", "%s", "consilium/autoo", "no-such-expert"]}"""
                .formatted(known.id()));
        HttpResponse<String> accepted = postJson("/admin/api/keys", """
                {"name": "known models", "models": ["consilium/auto", "consilium/route", "%s"]}""".formatted(known.id()));

        // then
        assertInvalid(refused, "models", "'consilium/autoo'");
        assertThat(json(refused).path("error").path("message").asString()).contains("'no-such-expert'")
                .doesNotContain("'consilium/auto'");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
    }

    @Test
    void should_refuse_a_profiling_job_whose_judge_is_unknown_or_cannot_judge() {
        // given
        Expert notAJudge = registry.register(Expert.builder("security-not-a-judge").provider(Provider.MOCK).build());

        // when
        HttpResponse<String> unknown = postJson("/admin/api/profiling-jobs",
                "{\"items\": " + ONE_ITEM + ", \"experts\": [\"mock-math\"], \"judge\": \"no-such-judge\"}");
        HttpResponse<String> wrongRole = postJson("/admin/api/profiling-jobs",
                "{\"items\": " + ONE_ITEM + ", \"experts\": [\"mock-math\"], \"judge\": \"" + notAJudge.id() + "\"}");
        HttpResponse<String> notText = postJson("/admin/api/profiling-jobs",
                "{\"items\": " + ONE_ITEM + ", \"experts\": [\"mock-math\"], \"judge\": 7}");
        HttpResponse<String> uploaded = send("POST", "/admin/api/profiling-jobs?experts=mock-math&judge=no-such-judge",
                "application/x-ndjson", JSON.readTree(ONE_ITEM).get(0).toString() + "\n");

        // then
        assertInvalid(unknown, "judge", "'no-such-judge'");
        assertInvalid(wrongRole, "judge", notAJudge.id());
        assertInvalid(notText, "judge", "judge");
        assertInvalid(uploaded, "judge", "'no-such-judge'");
    }

    @Test
    void should_refuse_a_chat_request_naming_an_aggregator_that_is_not_a_registered_enabled_aggregator() {
        // given
        Expert answering = registry.register(Expert.builder("security-answering").provider(Provider.MOCK).build());
        Expert disabled = registry.register(Expert.builder("security-disabled-aggregator").provider(Provider.MOCK)
                .roles(Set.of(Role.AGGREGATOR)).enabled(false).build());

        // when: a direct call, a single-expert route and a one-expert recruitment never reach fusion
        List<HttpResponse<String>> unknown = List.of(
                chat(answering.id(), "no-such-aggregator"),
                chat("consilium/route", "no-such-aggregator"),
                chat("consilium/auto", "no-such-aggregator", ", \"k\": 1"));
        HttpResponse<String> notAggregator = chat("consilium/auto", answering.id(), ", \"k\": 1");
        HttpResponse<String> notEnabled = chat(answering.id(), disabled.id());

        // then
        assertThat(unknown).allSatisfy(response -> assertInvalid(response, "consilium.aggregator", "'no-such-aggregator'"));
        assertInvalid(notAggregator, "consilium.aggregator", answering.id());
        assertInvalid(notEnabled, "consilium.aggregator", disabled.id());
        assertThat(chat(answering.id(), "mock-generalist").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> chat(String model, String aggregator) {
        return chat(model, aggregator, "");
    }

    private HttpResponse<String> chat(String model, String aggregator, String moreOptions) {
        return postJson("/v1/chat/completions", """
                {"model": "%s", "messages": [{"role": "user", "content": "What is 2 + 2?"}],
                 "consilium": {"aggregator": "%s"%s}}""".formatted(model, aggregator, moreOptions));
    }

    private static void assertInvalid(HttpResponse<String> response, String param, String mentioned) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = json(response).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).as(response.body()).isEqualTo(param);
        assertThat(error.path("message").asString()).contains(mentioned);
        assertThat(error.has("code")).isTrue();
    }
}
