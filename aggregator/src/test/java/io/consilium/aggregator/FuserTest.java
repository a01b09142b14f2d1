package io.consilium.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.ExpertServerException;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class FuserTest {

    private final Fuser fuser = Fuser.of(FusionConfig.ofDefaults());
    private final ScriptedAggregator aggregator = new ScriptedAggregator("agg");

    /** Two experts that disagree: 12 from the strongest, 14 from two weaker ones that together outweigh it. */
    private static final List<CandidateAnswer> DISAGREEING = List.of(
            new CandidateAnswer("strong", "So x = 12.", 0.8),
            new CandidateAnswer("good", "The answer is 14", 0.6),
            new CandidateAnswer("fair", "x = 14.0", 0.5));

    private static ChatRequest question() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", "consilium/auto");
        body.putArray("messages").addObject().put("role", "user").put("content", "Solve for x.");
        body.put("temperature", 0.2);
        body.put("max_tokens", 300);
        body.put("seed", 7);
        return new ChatRequest(body);
    }

    private FusionInput input(FusionMode mode, List<CandidateAnswer> answers) {
        return new FusionInput(question(), mode, answers, List.of(), aggregator.expert());
    }

    @Test
    void should_take_the_best_weighted_agreeing_answer_without_the_aggregator_when_the_experts_agree() {
        // given
        List<CandidateAnswer> agreeing = List.of(
                new CandidateAnswer("a", "Working it out, the answer is (B).", 0.6),
                new CandidateAnswer("b", "**B**", 0.9));

        // when
        FusionResult result = fuser.fuse(input(FusionMode.SYNTHESIZE, agreeing), expert -> aggregator);

        // then
        assertThat(result.consensus()).isTrue();
        assertThat(result.mode()).isEqualTo(FusionMode.SYNTHESIZE);
        assertThat(result.text()).isEqualTo("**B**");
        assertThat(result.author()).isEqualTo("b");
        assertThat(result.hasToolCalls()).isFalse();
        assertThat(result.aggregator()).isNull();
        assertThat(aggregator.chats()).isEmpty();
    }

    @Test
    void should_let_the_weighted_majority_answer_when_the_plan_asks_for_a_vote() {
        // when
        FusionResult result = fuser.fuse(input(FusionMode.VOTE, DISAGREEING), expert -> aggregator);

        // then
        assertThat(result.mode()).isEqualTo(FusionMode.VOTE);
        assertThat(result.consensus()).isFalse();
        assertThat(result.text()).isEqualTo("The answer is 14");
        assertThat(result.author()).isEqualTo("good");
        assertThat(result.aggregator()).isNull();
        assertThat(aggregator.chats()).isEmpty();
    }

    @Test
    void should_let_the_best_weighted_expert_answer_when_the_plan_asks_for_the_best() {
        // when
        FusionResult best = fuser.fuse(input(FusionMode.BEST, DISAGREEING), expert -> aggregator);
        FusionResult none = fuser.fuse(input(FusionMode.NONE, DISAGREEING), expert -> aggregator);

        // then
        assertThat(best.text()).isEqualTo("So x = 12.");
        assertThat(best.author()).isEqualTo("strong");
        assertThat(best.mode()).isEqualTo(FusionMode.BEST);
        assertThat(none.mode()).isEqualTo(FusionMode.BEST);
    }

    @Test
    void should_take_a_lone_answer_as_it_is_without_calling_the_aggregator() {
        // given
        List<CandidateAnswer> lone = List.of(new CandidateAnswer("only", "42", 0.7));

        // when
        FusionResult planned = fuser.fuse(input(FusionMode.SYNTHESIZE, lone), expert -> aggregator);
        FusionResult routed = fuser.fuse(new FusionInput(question(), FusionMode.NONE, lone, List.of(), null),
                expert -> aggregator);

        // then
        assertThat(planned.text()).isEqualTo("42");
        assertThat(planned.mode()).isEqualTo(FusionMode.BEST);
        assertThat(planned.consensus()).isFalse();
        assertThat(routed.mode()).isEqualTo(FusionMode.NONE);
        assertThat(aggregator.chats()).isEmpty();
    }

    @Test
    void should_answer_with_the_aggregators_synthesis_and_its_usage_when_it_answers() {
        // given
        aggregator.answering("Checked both: 12 is right.", 40, 8);

        // when
        FusionResult result = fuser.fuse(input(FusionMode.SYNTHESIZE, DISAGREEING), expert -> aggregator);

        // then
        assertThat(result.mode()).isEqualTo(FusionMode.SYNTHESIZE);
        assertThat(result.consensus()).isFalse();
        assertThat(result.text()).isEqualTo("Checked both: 12 is right.");
        assertThat(result.author()).isEqualTo("agg");
        assertThat(result.aggregator()).isNotNull().satisfies(call -> {
            assertThat(call.answered()).isTrue();
            assertThat(call.aggregator().id()).isEqualTo("agg");
            assertThat(call.usage()).isEqualTo(new Usage(40, 8));
        });
        JsonNode sent = aggregator.chats().getFirst().body();
        assertThat(sent.path("model").asString()).isEqualTo("agg");
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(300);
        assertThat(sent.has("seed")).isFalse();
        assertThat(sent.has("stream_options")).isFalse();
        assertThat(sent.path("messages").path(0).path("role").asString()).isEqualTo("system");
        assertThat(sent.path("messages").path(0).path("content").asString())
                .isEqualTo(FusionConfig.ofDefaults().synthesisInstructions());
        assertThat(sent.path("messages").path(1).path("content").asString()).isEqualTo("Solve for x.");
        assertThat(sent.path("messages").path(2).path("content").asString())
                .contains("[1]\nSo x = 12.").contains("[2]\nThe answer is 14").contains("[3]\nx = 14.0")
                .doesNotContain("[4]");
    }

    @Test
    void should_fall_back_to_the_vote_with_the_aggregators_failure_when_it_fails() {
        // given
        ExpertTimeoutException timeout = new ExpertTimeoutException("agg", Duration.ofSeconds(1));
        aggregator.failingWith(timeout);

        // when
        FusionResult result = fuser.fuse(input(FusionMode.SYNTHESIZE, DISAGREEING), expert -> aggregator);

        // then
        assertThat(result.mode()).isEqualTo(FusionMode.VOTE);
        assertThat(result.text()).isEqualTo("The answer is 14");
        assertThat(result.author()).isEqualTo("good");
        assertThat(result.aggregator()).isNotNull().satisfies(call -> {
            assertThat(call.answered()).isFalse();
            assertThat(call.failure()).isSameAs(timeout);
            assertThat(call.usage()).isEqualTo(Usage.NONE);
        });
        assertThat(aggregator.chats()).hasSize(1);
    }

    @Test
    void should_hand_over_the_aggregators_open_stream_asking_for_usage_when_synthesis_is_streamed() {
        // given
        aggregator.answering("After checking, 12.", 0, 0);

        // when
        FusionResult result = fuser.fuseStreaming(input(FusionMode.SYNTHESIZE, DISAGREEING), expert -> aggregator);

        // then
        assertThat(result.mode()).isEqualTo(FusionMode.SYNTHESIZE);
        assertThat(result.text()).isNull();
        assertThat(result.author()).isEqualTo("agg");
        assertThatThrownBy(result::requireText).isInstanceOf(IllegalStateException.class);
        assertThat(result.aggregator()).isNotNull().extracting(AggregatorCall::answered).isEqualTo(true);
        assertThat(readAll(result.stream())).isEqualTo("After checking, 12.");
        JsonNode sent = aggregator.streams().getFirst().body();
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(sent.path("messages").path(2).path("content").asString()).contains("[3]\nx = 14.0");
        assertThat(aggregator.chats()).isEmpty();
    }

    @Test
    void should_fall_back_to_the_vote_when_the_aggregators_stream_cannot_be_opened() {
        // given
        ExpertServerException down = new ExpertServerException("agg", 503, "down", null);
        aggregator.failingWith(down);

        // when
        FusionResult result = fuser.fuseStreaming(input(FusionMode.SYNTHESIZE, DISAGREEING), expert -> aggregator);

        // then
        assertThat(result.mode()).isEqualTo(FusionMode.VOTE);
        assertThat(result.stream()).isNull();
        assertThat(result.text()).isEqualTo("The answer is 14");
        assertThat(result.aggregator()).isNotNull().extracting(AggregatorCall::failure).isSameAs(down);
    }

    @Test
    void should_answer_a_streamed_request_at_once_when_no_synthesis_is_needed() {
        // when
        FusionResult result = fuser.fuseStreaming(input(FusionMode.VOTE, DISAGREEING), expert -> aggregator);

        // then
        assertThat(result.stream()).isNull();
        assertThat(result.text()).isEqualTo("The answer is 14");
        assertThat(aggregator.streams()).isEmpty();
    }

    @Test
    void should_throw_no_answer_naming_every_expert_and_why_when_none_answered() {
        // given
        List<Unanswered> failed = List.of(new Unanswered("a", CallOutcome.TIMEOUT), new Unanswered("b", CallOutcome.UPSTREAM_ERROR));
        FusionInput nothing = new FusionInput(question(), FusionMode.VOTE, List.of(), failed, null);

        // then
        assertThatThrownBy(() -> fuser.fuse(nothing, expert -> aggregator))
                .isInstanceOfSatisfying(NoAnswerException.class, e -> {
                    assertThat(e.experts()).isEqualTo(failed);
                    assertThat(e.getMessage()).isEqualTo("No expert answered: a (timeout), b (upstream_error).");
                });
        assertThatThrownBy(() -> fuser.decide(nothing)).isInstanceOf(NoAnswerException.class);
    }

    @Test
    void should_leave_the_synthesis_pending_for_a_caller_that_sends_it_itself() {
        // given
        aggregator.answering("Fused later.", 10, 2);

        // when
        FusionDecision decision = fuser.decide(input(FusionMode.SYNTHESIZE, DISAGREEING));

        // then
        assertThat(decision).isInstanceOfSatisfying(PendingSynthesis.class, pending -> {
            assertThat(pending.aggregator().id()).isEqualTo("agg");
            assertThat(pending.request().body().path("messages").path(2).path("content").asString()).contains("[3]");
            FusionResult answered = fuser.synthesized(pending, aggregator.chat(pending.request()), Duration.ofMillis(5));
            FusionResult failed = fuser.aggregatorFailed(pending, new IllegalStateException("a batch failed"),
                    Duration.ofMillis(5));
            assertThat(answered.mode()).isEqualTo(FusionMode.SYNTHESIZE);
            assertThat(answered.text()).isEqualTo("Fused later.");
            assertThat(answered.aggregator()).isNotNull().extracting(AggregatorCall::usage).isEqualTo(new Usage(10, 2));
            assertThat(failed.mode()).isEqualTo(FusionMode.VOTE);
            assertThat(failed.text()).isEqualTo("The answer is 14");
        });
        assertThat(fuser.decide(input(FusionMode.VOTE, DISAGREEING))).isInstanceOf(FusionResult.class);
    }

    @Test
    void should_ask_the_aggregator_even_when_the_answers_agree_for_a_synthesis_without_decision() {
        // given
        aggregator.answering("B", 1, 1);
        List<CandidateAnswer> agreeing = List.of(new CandidateAnswer("a", "B", 1), new CandidateAnswer("b", "B", 1));

        // when
        FusionResult result = fuser.synthesize(fuser.synthesis(question(), agreeing, aggregator.expert()), aggregator);

        // then
        assertThat(result.mode()).isEqualTo(FusionMode.SYNTHESIZE);
        assertThat(aggregator.chats()).hasSize(1);
    }

    @Test
    void should_build_the_synthesis_request_from_the_config() {
        // given
        Fuser custom = Fuser.of(FusionConfig.custom().synthesisInstructions("  Pick the right one.  ")
                .copiedFields(List.of("seed")).streamUsage(false).build());
        aggregator.answering("fine", 0, 0);

        // when
        custom.fuse(input(FusionMode.SYNTHESIZE, DISAGREEING), expert -> aggregator);
        try (ChatStream stream = custom.fuseStreaming(input(FusionMode.SYNTHESIZE, DISAGREEING), expert -> aggregator)
                .stream()) {
            assertThat(stream).isNotNull();
        }

        // then
        JsonNode sent = aggregator.chats().getFirst().body();
        assertThat(sent.path("messages").path(0).path("content").asString()).isEqualTo("Pick the right one.");
        assertThat(sent.path("seed").asInt()).isEqualTo(7);
        assertThat(sent.has("temperature")).isFalse();
        assertThat(aggregator.streams().getFirst().body().has("stream_options")).isFalse();
    }

    @Test
    void should_refuse_a_client_of_another_aggregator_and_a_synthesis_without_an_aggregator() {
        // given
        PendingSynthesis pending = fuser.synthesis(question(), DISAGREEING, aggregator.expert());

        // then
        assertThatThrownBy(() -> fuser.synthesize(pending, new ScriptedAggregator("other")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'agg'").hasMessageContaining("'other'");
        assertThatThrownBy(() -> new FusionInput(question(), FusionMode.SYNTHESIZE, DISAGREEING, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("synthesize");
    }

    private static String readAll(ChatStream stream) {
        List<String> pieces = new ArrayList<>();
        try (stream) {
            for (Optional<ObjectNode> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
                pieces.add(chunk.get().path("choices").path(0).path("delta").path("content").asString());
            }
        }
        return String.join("", pieces);
    }
}
