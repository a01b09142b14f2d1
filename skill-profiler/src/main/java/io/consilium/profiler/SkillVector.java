package io.consilium.profiler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a query needs: a probability per skill, highest first, and whether the classifier is too
 * unsure for the router to trust its top skill.
 *
 * <p>A classifier that reads a sentence embedding hands it on as {@link #embedding()}, so that a caller that
 * compares queries by meaning (the semantic answer cache) does not encode the query a second time. The
 * embedding is how the result was found, not part of what it says: equality ignores it.
 */
public record SkillVector(List<SkillScore> skills, boolean uncertain, float @Nullable [] embedding) {

    public SkillVector {
        skills = List.copyOf(skills);
    }

    public SkillVector(List<SkillScore> skills, boolean uncertain) {
        this(skills, uncertain, null);
    }

    /** The same result carrying the L2-normalised embedding it was computed from. */
    public SkillVector withEmbedding(float[] queryEmbedding) {
        return new SkillVector(skills, uncertain, queryEmbedding);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof SkillVector vector && uncertain == vector.uncertain && skills.equals(vector.skills);
    }

    @Override
    public int hashCode() {
        return Objects.hash(skills, uncertain);
    }

    @Override
    public String toString() {
        return "SkillVector[skills=" + skills + ", uncertain=" + uncertain + "]";
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
