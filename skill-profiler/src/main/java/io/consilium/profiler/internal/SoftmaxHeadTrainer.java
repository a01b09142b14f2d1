package io.consilium.profiler.internal;

import io.consilium.profiler.TrainingSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains a {@link SoftmaxHead}: L2-regularised softmax regression by mini-batch Adam (seeded, so the
 * same data always gives the same head), then temperature scaling fitted on out-of-fold logits of a
 * k-fold cross-validation, which also yields an honest accuracy estimate.
 */
public final class SoftmaxHeadTrainer {

    private static final int EPOCHS = 60;
    private static final int BATCH = 32;
    private static final double LEARNING_RATE = 0.01;
    private static final double L2 = 1e-4;
    private static final int FOLDS = 5;
    private static final long SEED = 20_261_123L;

    /** One labelled training example. */
    public record Example(float[] embedding, int label) {}

    /** A trained head and what cross-validation said about it. */
    public record Result(SoftmaxHead head, CrossValidation crossValidation) {}

    /**
     * Out-of-fold predictions.
     *
     * @param predicted label indices ranked by probability, per example
     * @param actual true label index per example
     */
    public record CrossValidation(int[][] predicted, int[] actual) {

        public double topK(int k) {
            int hits = 0;
            for (int i = 0; i < actual.length; i++) {
                for (int r = 0; r < Math.min(k, predicted[i].length); r++) {
                    if (predicted[i][r] == actual[i]) {
                        hits++;
                        break;
                    }
                }
            }
            return actual.length == 0 ? 0 : (double) hits / actual.length;
        }

        /** The most frequent top-1 mistakes, as (actual, predicted, count), most frequent first. */
        public List<TrainingSummary.Confusion> confusions(List<String> labels, int limit) {
            java.util.Map<java.util.Map.Entry<Integer, Integer>, Integer> counts = new java.util.HashMap<>();
            for (int i = 0; i < actual.length; i++) {
                if (predicted[i][0] != actual[i]) {
                    counts.merge(java.util.Map.entry(actual[i], predicted[i][0]), 1, Integer::sum);
                }
            }
            return counts.entrySet().stream()
                    .map(e -> new TrainingSummary.Confusion(labels.get(e.getKey().getKey()),
                            labels.get(e.getKey().getValue()), e.getValue()))
                    .sorted(java.util.Comparator.comparingInt(TrainingSummary.Confusion::count).reversed()
                            .thenComparing(TrainingSummary.Confusion::actual)
                            .thenComparing(TrainingSummary.Confusion::predicted))
                    .limit(limit)
                    .toList();
        }
    }

    /** Trains on all examples; labels are indices into {@code labels}. */
    public Result train(List<String> labels, List<Example> examples, String fingerprint) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("cannot train a head without examples");
        }
        int classes = labels.size();
        int dimension = examples.getFirst().embedding().length;
        List<Example> shuffled = new ArrayList<>(examples);
        java.util.Collections.shuffle(shuffled, new Random(SEED));

        float[][] outOfFoldLogits = new float[shuffled.size()][];
        for (int fold = 0; fold < FOLDS; fold++) {
            List<Example> training = new ArrayList<>();
            List<Integer> heldOut = new ArrayList<>();
            for (int i = 0; i < shuffled.size(); i++) {
                if (i % FOLDS == fold) {
                    heldOut.add(i);
                } else {
                    training.add(shuffled.get(i));
                }
            }
            Parameters parameters = fit(training, classes, dimension);
            for (int i : heldOut) {
                outOfFoldLogits[i] = parameters.logits(shuffled.get(i).embedding());
            }
        }
        int[] actual = shuffled.stream().mapToInt(Example::label).toArray();
        double temperature = fitTemperature(outOfFoldLogits, actual);
        int[][] ranked = new int[actual.length][];
        for (int i = 0; i < actual.length; i++) {
            ranked[i] = rank(outOfFoldLogits[i]);
        }
        Parameters all = fit(shuffled, classes, dimension);
        return new Result(new SoftmaxHead(labels, all.weights, all.bias, temperature, fingerprint),
                new CrossValidation(ranked, actual));
    }

    private static Parameters fit(List<Example> examples, int classes, int dimension) {
        Parameters p = new Parameters(classes, dimension);
        Adam adam = new Adam(classes, dimension);
        Random random = new Random(SEED);
        List<Example> order = new ArrayList<>(examples);
        float[][] gradW = new float[classes][dimension];
        float[] gradB = new float[classes];
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            java.util.Collections.shuffle(order, random);
            for (int start = 0; start < order.size(); start += BATCH) {
                int end = Math.min(order.size(), start + BATCH);
                for (float[] row : gradW) {
                    java.util.Arrays.fill(row, 0f);
                }
                java.util.Arrays.fill(gradB, 0f);
                for (int i = start; i < end; i++) {
                    Example example = order.get(i);
                    double[] probabilities = Softmax.of(p.logits(example.embedding()), 1.0);
                    for (int k = 0; k < classes; k++) {
                        float error = (float) (probabilities[k] - (k == example.label() ? 1 : 0));
                        if (error == 0f) {
                            continue;
                        }
                        float[] row = gradW[k];
                        float[] x = example.embedding();
                        for (int d = 0; d < dimension; d++) {
                            row[d] += error * x[d];
                        }
                        gradB[k] += error;
                    }
                }
                float scale = 1f / (end - start);
                adam.step(p, gradW, gradB, scale);
            }
        }
        return p;
    }

    /** The temperature that minimises the negative log-likelihood of the out-of-fold logits. */
    private static double fitTemperature(float[][] logits, int[] actual) {
        double best = 1;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int step = 0; step <= 60; step++) {
            double temperature = Math.exp(Math.log(0.2) + step * (Math.log(5) - Math.log(0.2)) / 60);
            double loss = 0;
            for (int i = 0; i < actual.length; i++) {
                loss -= Math.log(Math.max(1e-12, Softmax.of(logits[i], temperature)[actual[i]]));
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                best = temperature;
            }
        }
        return best;
    }

    private static int[] rank(float[] logits) {
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        return java.util.Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /** Weights being learned. */
    private static final class Parameters {

        final float[][] weights;
        final float[] bias;

        Parameters(int classes, int dimension) {
            this.weights = new float[classes][dimension];
            this.bias = new float[classes];
        }

        float[] logits(float[] x) {
            float[] logits = new float[weights.length];
            for (int k = 0; k < weights.length; k++) {
                float sum = bias[k];
                float[] row = weights[k];
                for (int d = 0; d < row.length; d++) {
                    sum += row[d] * x[d];
                }
                logits[k] = sum;
            }
            return logits;
        }
    }

    /** Adam moments for the weights and biases, with L2 decay added to the weight gradient. */
    private static final class Adam {

        private static final double BETA1 = 0.9;
        private static final double BETA2 = 0.999;
        private static final double EPSILON = 1e-8;

        private final float[][] mW;
        private final float[][] vW;
        private final float[] mB;
        private final float[] vB;
        private int t;

        Adam(int classes, int dimension) {
            mW = new float[classes][dimension];
            vW = new float[classes][dimension];
            mB = new float[classes];
            vB = new float[classes];
        }

        void step(Parameters p, float[][] gradW, float[] gradB, float scale) {
            t++;
            double correction1 = 1 - Math.pow(BETA1, t);
            double correction2 = 1 - Math.pow(BETA2, t);
            for (int k = 0; k < gradW.length; k++) {
                for (int d = 0; d < gradW[k].length; d++) {
                    double g = gradW[k][d] * scale + L2 * p.weights[k][d];
                    mW[k][d] = (float) (BETA1 * mW[k][d] + (1 - BETA1) * g);
                    vW[k][d] = (float) (BETA2 * vW[k][d] + (1 - BETA2) * g * g);
                    p.weights[k][d] -= (float) (LEARNING_RATE * (mW[k][d] / correction1)
                            / (Math.sqrt(vW[k][d] / correction2) + EPSILON));
                }
                double g = gradB[k] * scale;
                mB[k] = (float) (BETA1 * mB[k] + (1 - BETA1) * g);
                vB[k] = (float) (BETA2 * vB[k] + (1 - BETA2) * g * g);
                p.bias[k] -= (float) (LEARNING_RATE * (mB[k] / correction1) / (Math.sqrt(vB[k] / correction2) + EPSILON));
            }
        }
    }
}
