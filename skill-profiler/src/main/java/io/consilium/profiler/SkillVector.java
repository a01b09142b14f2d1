package io.consilium.profiler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a query needs: a probability per skill, highest first, and whether the classifier is too
 * unsure for the router to trust its top skill.
 */
public record SkillVector(List<SkillScore> skills, boolean uncertain) {

    public SkillVector {
        skills = List.copyOf(skills);
    }

    /** Builds the vector from probabilities aligned with the labels, judging uncertainty by the thresholds. */
    public static SkillVector of(List<String> labels, double[] probabilities, UncertaintyThresholds thresholds) {
        if (labels.size() != probabilities.length) {
            throw new IllegalArgumentException("labels (" + labels.size() + ") and probabilities ("
                    + probabilities.length + ") must align");
        }
        List<SkillScore> scores = new ArrayList<>(labels.size());
        for (int i = 0; i < probabilities.length; i++) {
            scores.add(new SkillScore(labels.get(i), probabilities[i]));
        }
        scores.sort(Comparator.comparingDouble(SkillScore::score).reversed().thenComparing(SkillScore::id));
        double top = scores.isEmpty() ? 0 : scores.get(0).score();
        double second = scores.size() < 2 ? 0 : scores.get(1).score();
        return new SkillVector(scores, thresholds.isUncertain(top, second));
    }

    /** The most probable skill. */
    public SkillScore top() {
        return skills.getFirst();
    }

    /** The probability of one skill, zero if it is not in the vector. */
    public double probability(String skillId) {
        for (SkillScore score : skills) {
            if (score.id().equals(skillId)) {
                return score.score();
            }
        }
        return 0;
    }
}
