package io.consilium.profiler.internal;

import java.util.Arrays;
import java.util.List;

/**
 * A nearest-exemplar vote: each skill scores the mean cosine similarity of its few exemplars closest to
 * the query, and a softmax over those scores gives probabilities. It needs no training, so a skill
 * added a minute ago with five exemplars takes part as fully as a shipped one, and it catches inputs
 * that sit close to one exemplar of an unusual shape (an exam question, a pasted snippet) which a
 * linear head averages away.
 */
final class ExemplarVote {

    /** Exemplars per skill whose similarities are averaged. */
    static final int NEIGHBOURS = 3;

    /**
     * The exemplar embeddings dimension by dimension ({@code byDimension[d * count + i]} is dimension
     * {@code d} of exemplar {@code i}), so that all similarities are computed together in loops over the
     * exemplars that the JIT turns into vector instructions; a dot product per exemplar, one dependent
     * addition after another, took several times as long.
     */
    private final float[] byDimension;
    private final int count;
    private final int dimension;
    private final int[] labels;
    private final int classes;
    private final double temperature;

    /**
     * @param embeddings unit-length exemplar embeddings, all of one size
     * @param labels the skill index of each exemplar
     * @param classes number of skills
     * @param temperature softness of the softmax over similarity scores
     */
    ExemplarVote(float[][] embeddings, int[] labels, int classes, double temperature) {
        if (embeddings.length != labels.length) {
            throw new IllegalArgumentException("embeddings (" + embeddings.length + ") and labels (" + labels.length
                    + ") must align");
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, but was " + temperature);
        }
        this.count = embeddings.length;
        this.dimension = count == 0 ? 0 : embeddings[0].length;
        this.byDimension = new float[count * dimension];
        for (int i = 0; i < count; i++) {
            if (embeddings[i].length != dimension) {
                throw new IllegalArgumentException("exemplar " + i + " has " + embeddings[i].length
                        + " dimensions, the first has " + dimension);
            }
            for (int d = 0; d < dimension; d++) {
                byDimension[d * count + i] = embeddings[i][d];
            }
        }
        this.labels = labels.clone();
        this.classes = classes;
        this.temperature = temperature;
    }

    static ExemplarVote of(List<SoftmaxHeadTrainer.Example> examples, int classes, double temperature) {
        float[][] embeddings = new float[examples.size()][];
        int[] labels = new int[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            embeddings[i] = examples.get(i).embedding();
            labels[i] = examples.get(i).label();
        }
        return new ExemplarVote(embeddings, labels, classes, temperature);
    }

    /** The cosine similarity of the query to every exemplar, in exemplar order. */
    float[] similarities(float[] query) {
        float[] similarities = new float[count];
        for (int d = 0; d < dimension; d++) {
            float weight = query[d];
            int row = d * count;
            for (int i = 0; i < count; i++) {
                similarities[i] += byDimension[row + i] * weight;
            }
        }
        return similarities;
    }

    /** The mean similarity of each skill's closest exemplars; a skill without exemplars scores -1. */
    double[] scores(float[] query) {
        double[][] best = new double[classes][NEIGHBOURS];
        for (double[] row : best) {
            Arrays.fill(row, Double.NEGATIVE_INFINITY);
        }
        float[] similarities = similarities(query);
        for (int i = 0; i < count; i++) {
            double similarity = similarities[i];
            double[] top = best[labels[i]];
            int lowest = 0;
            for (int r = 1; r < NEIGHBOURS; r++) {
                if (top[r] < top[lowest]) {
                    lowest = r;
                }
            }
            if (similarity > top[lowest]) {
                top[lowest] = similarity;
            }
        }
        double[] scores = new double[classes];
        for (int k = 0; k < classes; k++) {
            double sum = 0;
            int counted = 0;
            for (double similarity : best[k]) {
                if (similarity > Double.NEGATIVE_INFINITY) {
                    sum += similarity;
                    counted++;
                }
            }
            scores[k] = counted == 0 ? -1 : sum / counted;
        }
        return scores;
    }

    double[] probabilities(float[] query) {
        double[] scores = scores(query);
        float[] logits = new float[scores.length];
        for (int k = 0; k < scores.length; k++) {
            logits[k] = (float) scores[k];
        }
        return Softmax.of(logits, temperature);
    }
}
