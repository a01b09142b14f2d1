package io.consilium.profiler;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What has been measured about one expert: weighted counts per skill, its fusions as an aggregator,
 * and how many calls failed (failures are not wrong answers). Immutable; the store assigns versions.
 *
 * @param expertId the expert
 * @param skills counts per skill id
 * @param fusion counts of graded syntheses when acting as aggregator
 * @param errors calls that failed during profiling
 * @param version incremented on every stored change
 * @param updatedAt time of the last stored change
 */
public record ExpertProfile(String expertId, Map<String, SkillCounts> skills, SkillCounts fusion, long errors,
        long version, Instant updatedAt) {

    /** Weights below this are not worth a count: the item hardly exercises the skill. */
    private static final double MIN_WEIGHT = 0.01;

    public ExpertProfile {
        skills = Map.copyOf(skills);
    }

    public static ExpertProfile empty(String expertId) {
        return new ExpertProfile(expertId, Map.of(), SkillCounts.NONE, 0, 0, Instant.EPOCH);
    }

    public SkillCounts counts(String skillId) {
        return skills.getOrDefault(skillId, SkillCounts.NONE);
    }

    /** Counts pooled over all skills. */
    public SkillCounts total() {
        return skills.values().stream().reduce(SkillCounts.NONE, SkillCounts::plus);
    }

    /** Adds one graded answer, spread over skills by the item's skill weights. */
    public ExpertProfile withAnswer(Map<String, Double> skillWeights, boolean correct) {
        return withEvidence(skillWeights, correct ? 1 : 0, 1);
    }

    /**
     * Adds user feedback, score in [-1, 1]: its size is how much it counts, its sign whether the answer
     * was good. A score of 0 changes nothing.
     */
    public ExpertProfile withFeedback(Map<String, Double> skillWeights, double score) {
        if (!(score >= -1 && score <= 1)) {
            throw new IllegalArgumentException("score must be between -1 and 1, but was " + score);
        }
        return withEvidence(skillWeights, Math.max(score, 0), Math.abs(score));
    }

    public ExpertProfile withFusion(boolean correct) {
        return new ExpertProfile(expertId, skills, fusion.plus(correct ? 1 : 0, 1), errors, version, updatedAt);
    }

    public ExpertProfile withError() {
        return new ExpertProfile(expertId, skills, fusion, errors + 1, version, updatedAt);
    }

    /** The same evidence under the next version. */
    ExpertProfile stored(long newVersion, Instant at) {
        return new ExpertProfile(expertId, skills, fusion, errors, newVersion, at);
    }

    private ExpertProfile withEvidence(Map<String, Double> skillWeights, double correct, double attempted) {
        Map<String, SkillCounts> next = new TreeMap<>(skills);
        skillWeights.forEach((skill, weight) -> {
            if (weight >= MIN_WEIGHT) {
                next.merge(skill, SkillCounts.NONE.plus(weight * correct, weight * attempted), SkillCounts::plus);
            }
        });
        return new ExpertProfile(expertId, next, fusion, errors, version, updatedAt);
    }
}
