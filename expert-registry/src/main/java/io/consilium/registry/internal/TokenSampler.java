package io.consilium.registry.internal;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from a row of logits: the most likely one (greedy), or a draw after temperature,
 * top-k and top-p (nucleus) filtering, in that order, as Hugging Face's samplers apply them. A sampler
 * draws from its own seeded generator, so a seed gives the same tokens whether the sequence runs alone
 * or in a batch. One sampler per sequence; not thread-safe.
 */
final class TokenSampler {

    private final double temperature;
    private final double topP;
    private final int topK;
    private final SplittableRandom random;

    private TokenSampler(double temperature, double topP, int topK, SplittableRandom random) {
        this.temperature = temperature;
        this.topP = topP;
        this.topK = topK;
        this.random = random;
    }

    static TokenSampler greedy() {
        return new TokenSampler(0, 1, 0, new SplittableRandom(0));
    }

    /**
     * @param temperature above zero
     * @param topP in (0, 1]; 1 keeps every token
     * @param topK at least 0; 0 keeps every token
     * @param seed seeds the draws
     */
    static TokenSampler sampled(double temperature, double topP, int topK, long seed) {
        return new TokenSampler(temperature, topP, topK, new SplittableRandom(seed));
    }

    boolean isGreedy() {
        return temperature == 0;
    }

    /** The token picked from {@code logits[offset, offset + vocab)}. */
    int pick(FloatBuffer logits, int offset, int vocab) {
        if (isGreedy()) {
            return argmax(logits, offset, vocab);
        }
        int[] candidates = candidates(logits, offset, vocab);
        double max = Double.NEGATIVE_INFINITY;
        for (int token : candidates) {
            max = Math.max(max, logits.get(offset + token) / temperature);
        }
        double[] weights = new double[candidates.length];
        double total = 0;
        for (int i = 0; i < candidates.length; i++) {
            weights[i] = Math.exp(logits.get(offset + candidates[i]) / temperature - max);
            total += weights[i];
        }
        int kept = candidates.length;
        if (topP < 1) {
            // candidates are in descending order: keep the smallest head whose mass reaches top_p
            double mass = 0;
            for (int i = 0; i < candidates.length; i++) {
                mass += weights[i] / total;
                if (mass >= topP) {
                    kept = i + 1;
                    break;
                }
            }
        }
        double keptTotal = 0;
        for (int i = 0; i < kept; i++) {
            keptTotal += weights[i];
        }
        double draw = random.nextDouble() * keptTotal;
        for (int i = 0; i < kept; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return candidates[i];
            }
        }
        return candidates[kept - 1]; // rounding left a sliver past the last weight
    }

    /** The tokens still in the running, most likely first (ties: lower id first). */
    private int[] candidates(FloatBuffer logits, int offset, int vocab) {
        boolean ordered = topP < 1;
        boolean cut = topK > 0 && topK < vocab;
        if (!ordered && !cut) {
            int[] all = new int[vocab];
            Arrays.setAll(all, i -> i);
            return all;
        }
        // Sort primitive keys, logit order in the high bits and the token id in the low bits.
        long[] keys = new long[vocab];
        for (int token = 0; token < vocab; token++) {
            keys[token] = ((long) descendingKey(logits.get(offset + token)) << 32) | token;
        }
        Arrays.sort(keys);
        int count = cut ? topK : vocab;
        int[] candidates = new int[count];
        for (int i = 0; i < count; i++) {
            candidates[i] = (int) keys[i];
        }
        return candidates;
    }

    /** An int that sorts ascending as the float sorts descending. */
    private static int descendingKey(float value) {
        int bits = Float.floatToIntBits(value);
        int ascending = bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
        return ~ascending;
    }

    private static int argmax(FloatBuffer logits, int offset, int vocab) {
        int best = 0;
        float bestValue = logits.get(offset);
        for (int token = 1; token < vocab; token++) {
            float value = logits.get(offset + token);
            if (value > bestValue) {
                best = token;
                bestValue = value;
            }
        }
        return best;
    }
}
