package io.consilium.profiler.internal;

import java.util.List;

/**
 * A multinomial logistic regression over sentence embeddings: {@code softmax((W·x + b) / T)}.
 * Immutable; the temperature {@code T} is fitted on held-out folds so that probabilities are calibrated.
 */
public record SoftmaxHead(List<String> labels, float[][] weights, float[] bias, double temperature, String fingerprint) {

    public SoftmaxHead {
        labels = List.copyOf(labels);
        if (weights.length != labels.size() || bias.length != labels.size()) {
            throw new IllegalArgumentException("weights (" + weights.length + ") and bias (" + bias.length
                    + ") must have one row per label (" + labels.size() + ")");
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, but was " + temperature);
        }
    }

    public int dimension() {
        return weights.length == 0 ? 0 : weights[0].length;
    }

    /** Raw scores per label, before temperature and softmax. */
    public float[] logits(float[] embedding) {
        float[] logits = new float[weights.length];
        for (int k = 0; k < weights.length; k++) {
            float[] row = weights[k];
            float sum = bias[k];
            for (int d = 0; d < row.length; d++) {
                sum += row[d] * embedding[d];
            }
            logits[k] = sum;
        }
        return logits;
    }

    /** Calibrated probabilities per label. */
    public double[] probabilities(float[] embedding) {
        return Softmax.of(logits(embedding), temperature);
    }
}
