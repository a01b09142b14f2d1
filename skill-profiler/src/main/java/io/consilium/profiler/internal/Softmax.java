package io.consilium.profiler.internal;

/** Numerically stable softmax. */
public final class Softmax {

    private Softmax() {}

    /** Probabilities from logits divided by the temperature. */
    public static double[] of(float[] logits, double temperature) {
        double[] probabilities = new double[logits.length];
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit / temperature);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = Math.exp(logits[i] / temperature - max);
            sum += probabilities[i];
        }
        for (int i = 0; i < probabilities.length; i++) {
            probabilities[i] /= sum;
        }
        return probabilities;
    }
}
