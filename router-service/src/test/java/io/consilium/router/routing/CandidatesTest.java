package io.consilium.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.profiler.CompetenceModel;
import io.consilium.profiler.ProfileService;
import io.consilium.profiler.SkillScore;
import io.consilium.profiler.SkillVector;
import io.consilium.profiler.internal.InMemoryProfileStore;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.ExpertStores;
import io.consilium.registry.Limits;
import io.consilium.registry.Provider;
import io.consilium.registry.ResilienceSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Which experts may answer a request, over a real registry and profile service kept in memory. */
class CandidatesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SkillVector CHAT = new SkillVector(List.of(new SkillScore("general.chat", 1.0)), false);

    private final ExpertClients clients = ExpertClients.create(ResilienceSettings.ofDefaults(), new SimpleMeterRegistry());
    private final ExpertRegistry registry = new ExpertRegistry(ExpertStores.inMemory(), skill -> true, clients);
    private final ProfileService profiles =
            new ProfileService(new InMemoryProfileStore(Clock.systemUTC()), CompetenceModel.DEFAULTS);
    private final Candidates candidates = new Candidates(registry, profiles);

    @AfterEach
    void closeClients() {
        clients.close();
    }

    @Test
    void should_leave_out_an_expert_whose_context_cannot_hold_the_request_when_a_larger_one_can() {
        // given: a request of about 10 000 tokens of text and 1 000 to write
        registry.register(expert("small", 4_096));
        registry.register(expert("large", 128_000));
        ChatRequest longRequest = request("x".repeat(40_000), 1_000);

        // when
        List<PlannedExpert> ranked = candidates.ranked(longRequest, RoutingOptions.NONE, CHAT);

        // then
        assertThat(ranked).extracting(planned -> planned.expert().id()).containsExactly("large");
    }

    @Test
    void should_keep_every_expert_when_the_request_fits_or_no_context_limit_is_set() {
        // given
        registry.register(expert("small", 4_096));
        registry.register(Expert.builder("undeclared").provider(Provider.MOCK).skills(List.of("general.chat")).build());

        // when
        List<PlannedExpert> shortAsk = candidates.ranked(request("hello", 100), RoutingOptions.NONE, CHAT);
        List<PlannedExpert> longAsk = candidates.ranked(request("x".repeat(400_000), 1_000), RoutingOptions.NONE, CHAT);

        // then
        assertThat(shortAsk).extracting(planned -> planned.expert().id()).containsExactlyInAnyOrder("small", "undeclared");
        assertThat(longAsk).extracting(planned -> planned.expert().id()).containsExactly("undeclared");
    }

    @Test
    void should_rank_a_measured_expert_before_an_unmeasured_one_with_the_same_score() {
        // given: both declare general.chat (prior 0.7); "z-measured" answered 10 law questions, half right,
        // which leaves its chat competence and its global competence (0.5) where the priors put them
        registry.register(expert("a-new", 128_000));
        registry.register(expert("z-measured", 128_000));
        for (int i = 0; i < 10; i++) {
            profiles.recordAnswer("z-measured", java.util.Map.of("law", 1.0), i % 2 == 0);
        }

        // when
        List<PlannedExpert> ranked = candidates.ranked(request("hello", 100), RoutingOptions.NONE, CHAT);

        // then: a tie, won by the measurement, though the id would have put the other first
        assertThat(ranked.get(0).score()).isEqualTo(ranked.get(1).score());
        assertThat(ranked).extracting(planned -> planned.expert().id()).containsExactly("z-measured", "a-new");
    }

    private static Expert expert(String id, int contextTokens) {
        return Expert.builder(id).provider(Provider.MOCK).skills(List.of("general.chat"))
                .limits(new Limits(4, Duration.ofSeconds(10), contextTokens)).build();
    }

    private static ChatRequest request(String text, int maxTokens) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "consilium/auto").put("max_tokens", maxTokens);
        body.putArray("messages").addObject().put("role", "user").put("content", text);
        return new ChatRequest(body);
    }
}
