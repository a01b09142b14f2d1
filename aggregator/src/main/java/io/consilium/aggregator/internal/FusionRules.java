package io.consilium.aggregator.internal;

import io.consilium.aggregator.AnswerExtraction;
import io.consilium.aggregator.CandidateAnswer;
import io.consilium.aggregator.FinalAnswer;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fusion rules that need no model call: the consensus short-circuit, the competence-weighted
 * vote and picking the best expert. Answers are compared by their extracted final answers.
 */
final class FusionRules {

    private static final Comparator<CandidateAnswer> BY_WEIGHT =
            Comparator.comparingDouble(CandidateAnswer::weight).thenComparing(CandidateAnswer::expertId,
                    Comparator.reverseOrder());

    private FusionRules() {}

    /**
     * When every answer carries the same final answer, the best-weighted of them; otherwise empty.
     * A single answer is its own consensus.
     */
    static Optional<CandidateAnswer> consensus(List<CandidateAnswer> answers) {
        requireAnswers(answers);
        FinalAnswer first = AnswerExtraction.finalAnswer(answers.getFirst().text());
        for (CandidateAnswer answer : answers) {
            if (!AnswerExtraction.finalAnswer(answer.text()).equals(first)) {
                return Optional.empty();
            }
        }
        return Optional.of(best(answers));
    }

    /**
     * The answer of the weighted majority: the final answer with the largest summed weight wins, and the
     * best-weighted answer carrying it is returned.
     */
    static CandidateAnswer vote(List<CandidateAnswer> answers) {
        requireAnswers(answers);
        Map<FinalAnswer, Double> tally = new LinkedHashMap<>();
        Map<FinalAnswer, CandidateAnswer> champion = new LinkedHashMap<>();
        for (CandidateAnswer answer : answers) {
            FinalAnswer finalAnswer = AnswerExtraction.finalAnswer(answer.text());
            tally.merge(finalAnswer, answer.weight(), Double::sum);
            champion.merge(finalAnswer, answer, (a, b) -> BY_WEIGHT.compare(a, b) >= 0 ? a : b);
        }
        FinalAnswer winner = tally.entrySet().stream()
                .max(Map.Entry.<FinalAnswer, Double>comparingByValue()
                        .thenComparing(entry -> champion.get(entry.getKey()), BY_WEIGHT))
                .orElseThrow()
                .getKey();
        return champion.get(winner);
    }

    /** The answer of the highest-weighted expert. */
    static CandidateAnswer best(List<CandidateAnswer> answers) {
        requireAnswers(answers);
        return answers.stream().max(BY_WEIGHT).orElseThrow();
    }

    private static void requireAnswers(List<CandidateAnswer> answers) {
        if (answers.isEmpty()) {
            throw new IllegalArgumentException("fusion needs at least one answer");
        }
    }
}
