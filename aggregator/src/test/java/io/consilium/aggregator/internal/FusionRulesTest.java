package io.consilium.aggregator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.aggregator.CandidateAnswer;
import io.consilium.aggregator.ToolCall;
import java.util.List;
import org.junit.jupiter.api.Test;

class FusionRulesTest {

    @Test
    void should_find_consensus_when_every_answer_says_the_same_in_different_words() {
        // given
        List<CandidateAnswer> answers = List.of(
                new CandidateAnswer("a", "Working it out, the answer is (B).", 0.6),
                new CandidateAnswer("b", "**B**", 0.9),
                new CandidateAnswer("c", "Final answer: b", 0.4));

        // then
        assertThat(FusionRules.consensus(answers)).map(CandidateAnswer::expertId).contains("b");
    }

    @Test
    void should_see_no_consensus_when_one_answer_differs() {
        List<CandidateAnswer> answers = List.of(
                new CandidateAnswer("a", "The answer is 42.", 0.6),
                new CandidateAnswer("b", "The answer is 41.", 0.9));

        assertThat(FusionRules.consensus(answers)).isEmpty();
    }

    @Test
    void should_let_the_weighted_majority_win_over_the_single_best_expert() {
        // given: the strongest expert says 12, two fairly strong ones say 14
        List<CandidateAnswer> answers = List.of(
                new CandidateAnswer("strong", "So x = 12.", 0.8),
                new CandidateAnswer("good", "The answer is 14", 0.6),
                new CandidateAnswer("fair", "x = 14.0", 0.5));

        // when
        CandidateAnswer voted = FusionRules.vote(answers);

        // then: 1.1 for 14 beats 0.8 for 12, and the better of the two 14s speaks
        assertThat(voted.expertId()).isEqualTo("good");
        assertThat(FusionRules.best(answers).expertId()).isEqualTo("strong");
    }

    @Test
    void should_follow_weight_not_headcount() {
        List<CandidateAnswer> answers = List.of(
                new CandidateAnswer("expert", "The answer is (C)", 0.95),
                new CandidateAnswer("novice1", "The answer is (A)", 0.3),
                new CandidateAnswer("novice2", "The answer is (A)", 0.3));

        assertThat(FusionRules.vote(answers).expertId()).isEqualTo("expert");
    }

    @Test
    void should_refuse_to_fuse_nothing() {
        assertThatThrownBy(() -> FusionRules.vote(List.of())).hasMessageContaining("at least one answer");
        assertThatThrownBy(() -> new CandidateAnswer("x", "y", -1)).hasMessageContaining("but was -1");
    }

    @Test
    void should_find_consensus_when_tool_calls_differ_only_in_ids_order_and_argument_formatting() {
        // given
        List<CandidateAnswer> answers = List.of(
                new CandidateAnswer("a", "", 0.6, List.of(
                        new ToolCall("call_a1", "weather", "{\"city\":\"Oslo\",\"units\":\"metric\"}"),
                        new ToolCall("call_a2", "time", "{\"zone\":\"CET\"}"))),
                new CandidateAnswer("b", "Let me check.", 0.9, List.of(
                        new ToolCall("x", "time", "{ \"zone\": \"CET\" }"),
                        new ToolCall("y", "weather", "{\n  \"units\": \"metric\",\n  \"city\": \"Oslo\"\n}"))));

        // then
        assertThat(FusionRules.consensus(answers)).map(CandidateAnswer::expertId).contains("b");
    }

    @Test
    void should_see_no_consensus_when_tool_calls_differ_in_arguments_or_function() {
        // given
        CandidateAnswer oslo = new CandidateAnswer("a", "", 0.6, List.of(new ToolCall("1", "weather", "{\"city\":\"Oslo\"}")));
        CandidateAnswer bergen = new CandidateAnswer("b", "", 0.6, List.of(new ToolCall("1", "weather", "{\"city\":\"Bergen\"}")));
        CandidateAnswer time = new CandidateAnswer("c", "", 0.6, List.of(new ToolCall("1", "time", "{\"city\":\"Oslo\"}")));

        // then
        assertThat(FusionRules.consensus(List.of(oslo, bergen))).isEmpty();
        assertThat(FusionRules.consensus(List.of(oslo, time))).isEmpty();
    }

    @Test
    void should_weigh_tool_call_answers_against_text_answers_in_the_vote() {
        // given: two light experts call the tool, one heavy expert answers in text
        ToolCall weather = new ToolCall("1", "weather", "{\"city\":\"Oslo\"}");
        List<CandidateAnswer> answers = List.of(
                new CandidateAnswer("text", "It is probably cold in Oslo.", 0.7),
                new CandidateAnswer("tool1", "", 0.4, List.of(weather)),
                new CandidateAnswer("tool2", "Checking.", 0.5, List.of(new ToolCall("9", "weather", "{ \"city\": \"Oslo\" }"))));
        List<CandidateAnswer> outweighed = List.of(
                new CandidateAnswer("text", "It is probably cold in Oslo.", 1.0), answers.get(1), answers.get(2));

        // when
        CandidateAnswer voted = FusionRules.vote(answers);

        // then: 0.9 for the call beats 0.7 for the text, the better caller speaks; 1.0 for the text beats 0.9
        assertThat(voted.expertId()).isEqualTo("tool2");
        assertThat(FusionRules.vote(outweighed).expertId()).isEqualTo("text");
    }

    @Test
    void should_find_consensus_on_equal_json_values_formatted_differently_under_json_mode() {
        // given
        List<CandidateAnswer> answers = List.of(
                new CandidateAnswer("a", "{\"city\":\"Oslo\",\"celsius\":-3.0,\"tags\":[\"cold\",\"dry\"]}", 0.9),
                new CandidateAnswer("b",
                        "```json\n{\n  \"tags\": [\"cold\", \"dry\"],\n  \"celsius\": -3,\n  \"city\": \"Oslo\"\n}\n```", 0.5));
        List<CandidateAnswer> reordered = List.of(answers.get(0),
                new CandidateAnswer("c", "{\"city\":\"Oslo\",\"celsius\":-3,\"tags\":[\"dry\",\"cold\"]}", 0.5));

        // then: array order matters, key order does not
        assertThat(FusionRules.consensus(answers, true)).map(CandidateAnswer::expertId).contains("a");
        assertThat(FusionRules.consensus(reordered, true)).isEmpty();
    }
}
