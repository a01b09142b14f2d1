package io.consilium.router.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.consilium.profiler.ProfileService;
import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class FeedbackIT extends RunningService {

    @Autowired
    private ProfileService profiles;

    private String askLawQuestion(Expert expert) {
        ChatCompletion completion = openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(expert.id()).addUserMessage("Can my landlord keep my deposit for normal wear and tear?").build());
        return completion.id();
    }

    @Test
    void should_raise_and_lower_competence_for_the_skills_of_the_scored_completion() {
        // given
        Expert expert = registry.register(Expert.builder("feedback-praised").provider(Provider.MOCK).build());
        Expert other = registry.register(Expert.builder("feedback-criticised").provider(Provider.MOCK).build());
        double before = profiles.competence(expert, "law");

        // when
        HttpResponse<String> praised = postJson("/v1/feedback",
                "{\"completion_id\": \"" + askLawQuestion(expert) + "\", \"score\": 1}");
        HttpResponse<String> criticised = postJson("/v1/feedback",
                "{\"completion_id\": \"" + askLawQuestion(other) + "\", \"score\": -0.8}");

        // then
        assertThat(praised.statusCode()).as(praised.body()).isEqualTo(200);
        assertThat(json(praised).path("experts").toString()).contains(expert.id());
        assertThat(json(praised).path("skills").has("law")).isTrue();
        assertThat(profiles.competence(expert, "law")).isGreaterThan(before);
        assertThat(criticised.statusCode()).isEqualTo(200);
        assertThat(profiles.competence(other, "law")).isLessThan(before);
    }

    @Test
    void should_count_each_completion_once_and_reject_unknown_ids_and_bad_scores() {
        // given
        Expert expert = registry.register(Expert.builder("feedback-once").provider(Provider.MOCK).build());
        String id = askLawQuestion(expert);

        // when
        HttpResponse<String> first = postJson("/v1/feedback", "{\"completion_id\": \"" + id + "\", \"score\": 0.5}");
        HttpResponse<String> again = postJson("/v1/feedback", "{\"completion_id\": \"" + id + "\", \"score\": 0.5}");
        HttpResponse<String> unknown = postJson("/v1/feedback", "{\"completion_id\": \"chatcmpl-nope\", \"score\": 1}");
        HttpResponse<String> outOfRange = postJson("/v1/feedback", "{\"completion_id\": \"" + id + "\", \"score\": 3}");
        HttpResponse<String> missing = postJson("/v1/feedback", "{\"score\": 1}");

        // then
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("error").path("code").asString()).isEqualTo("completion_not_found");
        assertThat(outOfRange.statusCode()).isEqualTo(400);
        assertThat(json(outOfRange).path("error").path("param").asString()).isEqualTo("score");
        assertThat(missing.statusCode()).isEqualTo(400);
    }

    @Test
    void should_give_every_answer_its_own_id_streamed_or_not() {
        Expert expert = registry.register(Expert.builder("feedback-ids").provider(Provider.MOCK).build());

        List<String> ids = List.of(askLawQuestion(expert), askLawQuestion(expert));

        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).startsWith("chatcmpl-"));
    }
}
