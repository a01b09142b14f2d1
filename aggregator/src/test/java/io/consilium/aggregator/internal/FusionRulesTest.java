package io.consilium.aggregator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.aggregator.CandidateAnswer;
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
}
