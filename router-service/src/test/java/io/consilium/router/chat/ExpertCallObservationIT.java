package io.consilium.router.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.aggregator.FusionMode;
import io.consilium.profiler.SkillScore;
import io.consilium.profiler.SkillVector;
import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Cost;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertCallMeters;
import io.consilium.registry.Role;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.router.RunningService;
import io.consilium.router.routing.Deadline;
import io.consilium.router.routing.ExpertOutcome;
import io.consilium.router.routing.Plan;
import io.consilium.router.routing.PlanExecutor;
import io.consilium.router.routing.PlannedExpert;
import io.consilium.router.routing.Strategy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every expert call a request makes is observed once, by the registry's clients, whichever path made it: the
 * recruited experts, the aggregator's synthesis (streamed or not), a direct call.
 */
class ExpertCallObservationIT extends RunningService {

    private static final FakeOpenAiUpstream FIRST = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream SECOND = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream AGGREGATOR = FakeOpenAiUpstream.start();
    private static final String QUESTION = "What is the derivative of x^2?";

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private PlanExecutor executor;

    @AfterAll
    static void stopUpstreams() {
        List.of(FIRST, SECOND, AGGREGATOR).forEach(FakeOpenAiUpstream::close);
    }

    @BeforeEach
    void resetUpstreams() {
        List.of(FIRST, SECOND, AGGREGATOR).forEach(FakeOpenAiUpstream::reset);
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void should_observe_each_expert_and_the_synthesis_once_when_the_aggregator_fuses(boolean stream) {
        // given: two experts that disagree, so that the aggregator writes the answer
        Expert first = registerRemote(FIRST.baseUrl(), b -> b.skills(List.of("math.calculus")));
        Expert second = registerRemote(SECOND.baseUrl(), b -> b.skills(List.of("math.calculus")));
        Expert aggregator = registerRemote(AGGREGATOR.baseUrl(), b -> b.roles(List.of(Role.AGGREGATOR)));
        FIRST.enqueue(Reply.completion("The answer is (A)."));
        SECOND.enqueue(Reply.completion("The answer is (D)."));

        // when
        HttpResponse<String> response = postJson("/v1/chat/completions", "{\"model\": \"consilium/auto\", \"stream\": "
                + stream + ", \"messages\": [{\"role\": \"user\", \"content\": \"" + QUESTION + "\"}], \"consilium\": "
                + "{\"k\": 2, \"fusion\": \"synthesize\", \"aggregator\": \"" + aggregator.id() + "\", \"experts\": "
                + "{\"allow\": [\"" + first.id() + "\", \"" + second.id() + "\"]}}}");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("echo: ");
        assertThat(calls(first)).isEqualTo(1);
        assertThat(calls(first, "chat", "ok")).isEqualTo(1);
        assertThat(calls(second)).isEqualTo(1);
        assertThat(calls(aggregator)).isEqualTo(1);
        assertThat(calls(aggregator, stream ? "stream" : "chat", "ok")).isEqualTo(1);
        assertThat(tokens(aggregator, "prompt")).isEqualTo(11);
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void should_observe_a_direct_call_once_with_its_tokens_and_cost(boolean stream) {
        // given
        Expert expert = registerRemote(FIRST.baseUrl(), b -> b.cost(new Cost(1.0, 2.0)));

        // when
        HttpResponse<String> response = postJson("/v1/chat/completions", "{\"model\": \"" + expert.id() + "\", "
                + (stream ? "\"stream\": true, \"stream_options\": {\"include_usage\": true}, " : "")
                + "\"messages\": [{\"role\": \"user\", \"content\": \"" + QUESTION + "\"}]}");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(calls(expert)).isEqualTo(1);
        assertThat(calls(expert, stream ? "stream" : "chat", "ok")).isEqualTo(1);
        long completionTokens = stream ? 1 : 7; // the fake streams one piece, and answers 7 tokens when whole
        assertThat(tokens(expert, "prompt")).isEqualTo(11);
        assertThat(tokens(expert, "completion")).isEqualTo(completionTokens);
        assertThat(meters.get(ExpertCallMeters.COST).tag(ExpertCallMeters.EXPERT, expert.id()).counter().count())
                .isEqualTo(expert.cost().priceOf(11, completionTokens));
    }

    @Test
    void should_observe_a_failed_direct_call_once_with_its_outcome() {
        // given
        Expert expert = registerRemote(FIRST.baseUrl());
        FIRST.answerWith(Reply.error(400, "max_tokens is too large"));

        // when
        HttpResponse<String> response = postJson("/v1/chat/completions", "{\"model\": \"" + expert.id() + "\", "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"" + QUESTION + "\"}]}");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(calls(expert)).isEqualTo(1);
        assertThat(calls(expert, "chat", "rejected")).isEqualTo(1);
    }

    @Test
    void should_count_a_call_cut_at_the_plans_deadline_as_a_timeout_not_as_a_client_that_left() {
        // given: an expert that answers only long after the deadline (then frees its thread), planned alone
        Expert silent = registerRemote(FIRST.baseUrl());
        FIRST.enqueue(Reply.delayed(Duration.ofSeconds(2), Reply.completion("too late")));
        Plan plan = new Plan(Strategy.SYMBOLIC_MOE, new SkillVector(List.of(new SkillScore("general.chat", 1.0)), false),
                List.of(new PlannedExpert(silent, 1.0, List.of())), List.of(), null, FusionMode.NONE);

        // when
        List<ExpertOutcome> outcomes = executor.answer(plan, new ChatRequest((ObjectNode) JSON.readTree("{\"model\": \""
                + silent.id() + "\", \"messages\": [{\"role\": \"user\", \"content\": \"" + QUESTION + "\"}]}")),
                Deadline.in(Duration.ofMillis(300)));

        // then
        assertThat(outcomes).extracting(ExpertOutcome::outcome).containsExactly(CallOutcome.TIMEOUT);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls(silent) == 1);
        assertThat(calls(silent, "chat", "timeout")).isEqualTo(1);
        assertThat(calls(silent, "chat", "client_gone")).isZero();
    }

    private long calls(Expert expert) {
        return meters.find(ExpertCallMeters.CALLS).tag(ExpertCallMeters.EXPERT, expert.id()).timers().stream()
                .mapToLong(Timer::count).sum();
    }

    private long calls(Expert expert, String mode, String outcome) {
        Timer timer = meters.find(ExpertCallMeters.CALLS).tag(ExpertCallMeters.EXPERT, expert.id())
                .tag(ExpertCallMeters.MODE, mode).tag(ExpertCallMeters.OUTCOME, outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private long tokens(Expert expert, String kind) {
        Counter counter = meters.find(ExpertCallMeters.TOKENS).tag(ExpertCallMeters.EXPERT, expert.id())
                .tag(ExpertCallMeters.KIND, kind).counter();
        return counter == null ? 0 : (long) counter.count();
    }
}
