package io.consilium.profiler;

/**
 * When a classification is too unsure to act on: the top probability is below
 * {@code minTopProbability}, or the lead of the top skill over the second is below {@code minMargin}.
 */
public record UncertaintyThresholds(double minTopProbability, double minMargin) {

    /**
     * Chosen on the held-out queries as the pair that flags the fewest of them while catching at least
     * 80 % of the wrong ones; on the realistic set that flags about a quarter of the inputs and catches
     * more than four in five of the wrong ones.
     */
    public static final UncertaintyThresholds DEFAULTS = new UncertaintyThresholds(0.40, 0.35);

    public UncertaintyThresholds {
        if (!(minTopProbability >= 0 && minTopProbability <= 1)) {
            throw new IllegalArgumentException("minTopProbability must be between 0 and 1, but was " + minTopProbability);
        }
        if (!(minMargin >= 0 && minMargin <= 1)) {
            throw new IllegalArgumentException("minMargin must be between 0 and 1, but was " + minMargin);
        }
    }

    /** Whether a distribution whose two highest probabilities are these is uncertain. */
    public boolean isUncertain(double top, double second) {
        return top < minTopProbability || top - second < minMargin;
    }
}
