package io.consilium.router.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

class ClassifyIT extends RunningService {

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "What is the integral of 1 over x from 1 to e?                          | math.calculus",
            "My Python script throws KeyError when I read the config dict, how do I fix it? | cs.programming",
            "Can my employer fire me for posting about work on social media?        | law",
            "Translate 'good morning, how did you sleep?' into Spanish              | language.translation"})
    void should_name_the_skill_a_query_needs_with_probabilities(String input, String expected) {
        // when
        HttpResponse<String> response = postJson("/v1/classify", JSON.createObjectNode().put("input", input).toString());

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode skills = json(response).path("skills");
        assertThat(skills.path(0).path("id").asString()).isEqualTo(expected);
        double sum = 0;
        double previous = 1;
        for (JsonNode skill : skills) {
            double score = skill.path("score").asDouble();
            assertThat(score).isBetween(0.0, previous);
            previous = score;
            sum += score;
        }
        assertThat(sum).isCloseTo(1.0, within(1e-6));
        assertThat(json(response).path("uncertain").isBoolean()).isTrue();
    }

    @Test
    void should_flag_a_query_that_fits_no_skill_well_as_uncertain() {
        HttpResponse<String> response = postJson("/v1/classify", "{\"input\": \"code, contracts and cells\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("uncertain").asBoolean()).isTrue();
    }

    @Test
    void should_reject_empty_missing_non_text_and_oversized_input() {
        for (String body : new String[] {"{\"input\": \"   \"}", "{}", "{\"input\": 42}",
                "{\"input\": \"" + "a".repeat(8_001) + "\"}"}) {
            HttpResponse<String> response = postJson("/v1/classify", body);
            assertThat(response.statusCode()).as(body.substring(0, Math.min(30, body.length()))).isEqualTo(400);
            assertThat(json(response).path("error").path("param").asString()).isEqualTo("input");
            assertThat(json(response).path("error").path("type").asString()).isEqualTo("invalid_request_error");
        }
    }
}
