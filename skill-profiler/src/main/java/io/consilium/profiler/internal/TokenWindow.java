package io.consilium.profiler.internal;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Which tokens of an input are read: all of them when they fit, otherwise the first and the last ones,
 * after leaving out the skipped ones (filler words) when there are any.
 *
 * @param maxTokens tokens read, special tokens included
 * @param tailTokens of those, how many come from the end of a longer input
 * @param skipped token ids left out of an input longer than {@code maxTokens}; empty when nothing is
 */
record TokenWindow(int maxTokens, int tailTokens, BitSet skipped) {

    TokenWindow {
        if (maxTokens < 8 || maxTokens > 512) {
            throw new IllegalArgumentException("maxTokens must be between 8 and 512, but was " + maxTokens);
        }
        if (tailTokens < 0 || tailTokens > maxTokens - 2) {
            throw new IllegalArgumentException("tailTokens must be between 0 and maxTokens - 2 (" + (maxTokens - 2)
                    + "), but was " + tailTokens);
        }
    }

    /** Whether an input of this many tokens is read whole. */
    boolean fits(int tokens) {
        return tokens <= maxTokens;
    }

    /**
     * The tokens read of an input ({@code ids} starts with the model's start token and ends with its end
     * token, so both stay).
     */
    long[] apply(long[] ids) {
        if (ids.length <= maxTokens) {
            return ids;
        }
        if (!skipped.isEmpty()) {
            ids = Arrays.stream(ids).filter(id -> !skipped.get((int) id)).toArray();
            if (ids.length <= maxTokens) {
                return ids;
            }
        }
        int head = maxTokens - tailTokens;
        long[] kept = new long[maxTokens];
        System.arraycopy(ids, 0, kept, 0, head);
        System.arraycopy(ids, ids.length - tailTokens, kept, head, tailTokens);
        if (tailTokens == 0) {
            kept[maxTokens - 1] = ids[ids.length - 1];
        }
        return kept;
    }

    String describe() {
        return "max=" + maxTokens + " tail=" + tailTokens
                + (skipped.isEmpty() ? "" : " skipped=" + Integer.toHexString(skipped.hashCode()));
    }
}
