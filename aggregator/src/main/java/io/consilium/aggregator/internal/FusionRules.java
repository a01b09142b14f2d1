package io.consilium.aggregator.internal;

import io.consilium.aggregator.CandidateAnswer;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fusion rules that need no model call: the consensus short-circuit, the competence-weighted
 * vote and picking the best expert. Answers are compared by their {@link AnswerKey}s: their tool calls, their
 * JSON values under JSON mode, else their extracted final answers.
 */
final class FusionRules {

    private static final Comparator<CandidateAnswer> BY_WEIGHT =
            Comparator.comparingDouble(CandidateAnswer::weight).thenComparing(CandidateAnswer::expertId,
                    Comparator.reverseOrder());

    private FusionRules() {}

    /** {@link #consensus(List, boolean)} of answers in text. */
    static Optional<CandidateAnswer> consensus(List<CandidateAnswer> answers) {
        return consensus(answers, false);
    }

    /**
     * When every answer carries the same key, the best-weighted of them; otherwise empty.
     * A single answer is its own consensus.
     *
     * @param json whether the request asked for JSON, so that contents compare as JSON values
     */
    static Optional<CandidateAnswer> consensus(List<CandidateAnswer> answers, boolean json) {
        requireAnswers(answers);
        AnswerKey first = AnswerKey.of(answers.getFirst(), json);
        for (CandidateAnswer answer : answers) {
            if (!AnswerKey.of(answer, json).equals(first)) {
                return Optional.empty();
            }
        }
        return Optional.of(best(answers));
    }

    /** {@link #vote(List, boolean)} of answers in text. */
    static CandidateAnswer vote(List<CandidateAnswer> answers) {
        return vote(answers, false);
    }

    /**
     * The answer of the weighted majority: the key with the largest summed weight wins, and the
     * best-weighted answer carrying it is returned.
     *
     * @param json whether the request asked for JSON, so that contents compare as JSON values
     */
    static CandidateAnswer vote(List<CandidateAnswer> answers, boolean json) {
        requireAnswers(answers);
        Map<AnswerKey, Double> tally = new LinkedHashMap<>();
        Map<AnswerKey, CandidateAnswer> champion = new LinkedHashMap<>();
        for (CandidateAnswer answer : answers) {
            AnswerKey key = AnswerKey.of(answer, json);
            tally.merge(key, answer.weight(), Double::sum);
            champion.merge(key, answer, (a, b) -> BY_WEIGHT.compare(a, b) >= 0 ? a : b);
        }
        AnswerKey winner = tally.entrySet().stream()
                .max(Map.Entry.<AnswerKey, Double>comparingByValue()
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
