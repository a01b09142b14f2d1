package io.consilium.profiler;

/**
 * Weighted evidence about one ability: how much of what was attempted was right.
 *
 * @param correct weighted count of correct answers
 * @param attempted weighted count of graded answers
 */
public record SkillCounts(double correct, double attempted) {

    public static final SkillCounts NONE = new SkillCounts(0, 0);

    public SkillCounts {
        if (!(correct >= 0) || !(attempted >= correct - 1e-9)) {
            throw new IllegalArgumentException("counts must satisfy 0 <= correct <= attempted, but were "
                    + correct + "/" + attempted);
        }
    }

    public SkillCounts plus(double correctWeight, double attemptWeight) {
        return new SkillCounts(correct + correctWeight, attempted + attemptWeight);
    }

    public SkillCounts plus(SkillCounts other) {
        return plus(other.correct, other.attempted);
    }
}
