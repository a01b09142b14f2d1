package io.consilium.router.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import io.consilium.router.RunningService;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TaxonomyAdminIT extends RunningService {

    private static final String GARDENING = """
            {"id": "home.gardening", "description": "plants, lawns, vegetable patches and garden pests",
             "exemplars": ["When should I plant tomato seedlings outside?",
                           "How do I get rid of aphids on my roses without chemicals?",
                           "Why are the leaves on my courgette plant turning yellow?",
                           "What grass seed works best for a shady lawn?",
                           "How often should I water potted herbs in summer?",
                           "Can I compost citrus peel and onion skins?",
                           "Best time of year to prune an apple tree"]}""";

    @Test
    void should_list_the_default_skills() {
        HttpResponse<String> response = send("GET", "/admin/api/taxonomy", null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode skills = json(response).path("skills");
        assertThat(skills.size()).isGreaterThanOrEqualTo(27);
        assertThat(skills.path(0).path("id").asString()).isEqualTo("math.algebra");
        assertThat(skills.path(0).path("exemplars").asInt()).isGreaterThanOrEqualTo(30);
        assertThat(send("GET", "/admin/api/taxonomy/skills/law", null, null).body()).contains("statutes");
        assertThat(send("GET", "/admin/api/taxonomy/skills/nope", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void should_add_a_skill_retrain_without_restart_and_accept_experts_declaring_it() {
        // when
        HttpResponse<String> created = postJson("/admin/api/taxonomy/skills", GARDENING);

        // then: stored, retrained, and used
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode training = json(created).path("training");
        assertThat(training.path("fingerprint").asString()).isEqualTo(json(created).path("fingerprint").asString());
        assertThat(training.path("skills").asInt()).isEqualTo(json(created).path("skills").size());
        assertThat(training.path("cross_validated_top1").asDouble()).isBetween(0.5, 1.0);
        assertThat(training.path("confusions").path(0).path("predicted").isString()).isTrue();
        HttpResponse<String> classified = postJson("/v1/classify",
                "{\"input\": \"my hydrangea flowers are brown, should I cut them back?\"}");
        assertThat(json(classified).path("skills").path(0).path("id").asString()).isEqualTo("home.gardening");
        Expert gardener = registry.register(Expert.builder("gardener").provider(Provider.MOCK)
                .skills(List.of("home.gardening")).build());
        assertThat(gardener.skills()).containsExactly("home.gardening");

        // and: a duplicate is refused
        assertThat(postJson("/admin/api/taxonomy/skills", GARDENING).statusCode()).isEqualTo(409);
    }

    @Test
    void should_add_and_remove_exemplars() {
        // when
        HttpResponse<String> added = postJson("/admin/api/taxonomy/skills/law/exemplars",
                "{\"exemplars\": [\"Is a handshake agreement enforceable in court?\"]}");
        String text = URLEncoder.encode("Is a handshake agreement enforceable in court?", StandardCharsets.UTF_8);
        HttpResponse<String> removed = send("DELETE", "/admin/api/taxonomy/skills/law/exemplars?text=" + text, null, null);
        HttpResponse<String> removedAgain = send("DELETE", "/admin/api/taxonomy/skills/law/exemplars?text=" + text, null, null);

        // then
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(removedAgain.statusCode()).isEqualTo(404);
        assertThat(json(removed).path("version").asLong()).isGreaterThan(json(added).path("version").asLong());
    }

    @Test
    void should_reject_bad_changes_in_the_openai_error_shape() {
        HttpResponse<String> tooFew = postJson("/admin/api/taxonomy/skills",
                "{\"id\": \"tiny\", \"description\": \"x\", \"exemplars\": [\"a\", \"b\"]}");
        HttpResponse<String> badId = postJson("/admin/api/taxonomy/skills",
                "{\"id\": \"Bad Id!\", \"description\": \"x\", \"exemplars\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}");
        HttpResponse<String> noExemplars = postJson("/admin/api/taxonomy/skills/law/exemplars", "{\"exemplars\": []}");
        HttpResponse<String> unknownSkill = postJson("/admin/api/taxonomy/skills/nope/exemplars",
                "{\"exemplars\": [\"x\"]}");

        assertThat(tooFew.statusCode()).isEqualTo(400);
        assertThat(json(tooFew).path("error").path("message").asString()).contains("at least 5");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(noExemplars.statusCode()).isEqualTo(400);
        assertThat(json(noExemplars).path("error").path("param").asString()).isEqualTo("exemplars");
        assertThat(unknownSkill.statusCode()).isEqualTo(404);
    }
}
