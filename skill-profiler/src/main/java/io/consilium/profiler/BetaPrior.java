package io.consilium.profiler;

/**
 * A Beta(alpha, beta) prior on a success rate; its posterior mean after some evidence is the
 * competence estimate. Larger alpha + beta means more evidence is needed to move it.
 */
public record BetaPrior(double alpha, double beta) {

    public BetaPrior {
        if (!(alpha > 0) || !(beta > 0)) {
            throw new IllegalArgumentException("alpha and beta must be positive, but were " + alpha + ", " + beta);
        }
    }

    /** The prior mean, before any evidence. */
    public double mean() {
        return alpha / (alpha + beta);
    }

    /** The posterior mean given the counts. */
    public double posteriorMean(SkillCounts counts) {
        return (alpha + counts.correct()) / (alpha + beta + counts.attempted());
    }
}
