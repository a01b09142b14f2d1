package io.consilium.router.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillScore;
import io.consilium.profiler.SkillVector;
import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link DomainRouting} picks the one embedding expert of a request. */
class DomainRoutingTest {

    private final List<String> classified = new ArrayList<>();

    /** Classifies each text as the map says: "law" texts mostly law, "code" texts mostly programming. */
    private final QueryClassifier classifier = new QueryClassifier() {
        @Override
        public SkillVector classify(String text) {
            classified.add(text);
            Map<String, Double> scores = text.startsWith("law") ? Map.of("law", 0.8, "general.chat", 0.2)
                    : text.startsWith("code") ? Map.of("cs.programming", 0.7, "cs.theory", 0.2, "general.chat", 0.1)
                    : Map.of("general.chat", 0.9, "law", 0.1);
            return new SkillVector(scores.entrySet().stream().map(e -> new SkillScore(e.getKey(), e.getValue()))
                    .sorted((a, b) -> Double.compare(b.score(), a.score())).toList(), false);
        }
    };
    private final DomainRouting routing = new DomainRouting(classifier);

    private static Expert expert(String id, List<String> domains) {
        return Expert.builder(id).provider(Provider.OPENAI).baseUrl("http://embed.internal/v1").model(id)
                .roleIds(List.of("embedding")).domains(domains).build();
    }

    private final Expert generalist = expert("general", List.of());
    private final Expert legal = expert("legal", List.of("law"));
    private final Expert code = expert("code", List.of("cs.programming", "cs.theory"));

    @Test
    void should_send_inputs_of_one_domain_to_its_expert() {
        DomainRouting.Choice choice = routing.choose(List.of(code, generalist, legal), List.of("law one", "law two"));

        assertThat(choice.expert()).isEqualTo(legal);
        assertThat(choice.skills().getFirst().id()).isEqualTo("law");
        assertThat(choice.domainScores().getFirst()).isEqualTo(new SkillScore("legal", 0.8));
    }

    @Test
    void should_sum_an_experts_domains() {
        DomainRouting.Choice choice = routing.choose(List.of(code, generalist, legal), List.of("code a"));

        assertThat(choice.expert()).isEqualTo(code);
        assertThat(choice.domainScores().getFirst().score()).isEqualTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void should_leave_mixed_or_general_inputs_to_the_generalist() {
        // the mean law share of one legal and one general text is 0.45, under the bar
        assertThat(routing.choose(List.of(code, generalist, legal), List.of("law one", "hello")).expert())
                .isEqualTo(generalist);
        assertThat(routing.choose(List.of(code, generalist, legal), List.of("hello")).expert()).isEqualTo(generalist);
    }

    @Test
    void should_take_the_best_specialist_when_there_is_no_generalist() {
        assertThat(routing.choose(List.of(code, legal), List.of("hello")).expert()).isEqualTo(legal);
    }

    @Test
    void should_not_classify_when_there_is_nothing_to_choose_by_domain() {
        assertThat(routing.choose(List.of(legal), List.of("code a")).expert()).isEqualTo(legal);
        assertThat(routing.choose(List.of(generalist, expert("other", List.of())), List.of("law")).expert())
                .isEqualTo(generalist);
        assertThat(classified).isEmpty();
    }
}
