package io.consilium.registry.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One prompt's answer as it is generated: its tokens, its text (released as it becomes final, stop
 * sequences cut off), and why it ended. The batch that runs it feeds it one token per step; each
 * sequence stops on its own. Not thread-safe.
 */
final class GeneratedSequence {

    static final String STOP = "stop";
    static final String LENGTH = "length";

    private final long[] prompt;
    private final int maxNewTokens;
    private final Set<Long> eosTokenIds;
    private final TokenSampler sampler;
    private final IncrementalDetokenizer detokenizer;
    private final StopSequences stops;
    private final StringBuilder text = new StringBuilder();
    private long[] generated = new long[16];
    private int generatedCount;
    private int taken;
    private @Nullable String finishReason;

    /**
     * @param prompt the prompt's token ids, not empty
     * @param maxNewTokens completion tokens at most, at least 1
     * @param decode text of token ids, special tokens left out
     */
    GeneratedSequence(long[] prompt, int maxNewTokens, Set<Long> eosTokenIds, TokenSampler sampler,
            List<String> stopSequences, Function<long[], String> decode) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token");
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1, but was " + maxNewTokens);
        }
        this.prompt = prompt.clone();
        this.maxNewTokens = maxNewTokens;
        this.eosTokenIds = eosTokenIds;
        this.sampler = sampler;
        this.detokenizer = new IncrementalDetokenizer(decode);
        this.stops = new StopSequences(stopSequences);
    }

    TokenSampler sampler() {
        return sampler;
    }

    int promptTokens() {
        return prompt.length;
    }

    /** Tokens generated so far, an end-of-sequence token included. */
    int completionTokens() {
        return generatedCount;
    }

    /** Prompt and generated tokens so far. */
    int length() {
        return prompt.length + generatedCount;
    }

    /** The token at a position of prompt and answer. */
    long token(int index) {
        return index < prompt.length ? prompt[index] : generated[index - prompt.length];
    }

    /** The generated token ids. */
    long[] generatedTokens() {
        return Arrays.copyOf(generated, generatedCount);
    }

    boolean finished() {
        return finishReason != null;
    }

    /** {@code stop} (end of sequence or a stop sequence) or {@code length}; null while running. */
    @Nullable String finishReason() {
        return finishReason;
    }

    /** The answer's final text so far. */
    String text() {
        return text.toString();
    }

    /** Final text released since the last call; for streaming. */
    String takeReleased() {
        String released = text.substring(taken);
        taken = text.length();
        return released;
    }

    /** Takes the next generated token; ignored once the sequence has finished. */
    void accept(int token) {
        if (finished()) {
            return;
        }
        if (generatedCount == generated.length) {
            generated = Arrays.copyOf(generated, generatedCount * 2);
        }
        generated[generatedCount++] = token;
        if (eosTokenIds.contains((long) token)) {
            finish(STOP);
            return;
        }
        text.append(stops.accept(detokenizer.next(token)));
        if (stops.stopped()) {
            finishReason = STOP;
        } else if (generatedCount >= maxNewTokens) {
            finish(LENGTH);
        }
    }

    /** Releases the text held back for a possible stop sequence or a half character, and ends. */
    private void finish(String reason) {
        text.append(stops.accept(detokenizer.flush()));
        if (!stops.stopped()) {
            text.append(stops.flush());
        }
        finishReason = stops.stopped() ? STOP : reason;
    }
}
