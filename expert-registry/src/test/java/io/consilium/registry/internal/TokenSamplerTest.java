package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {

    /** Two rows of five logits; the second row's best token is 3. */
    private static final FloatBuffer LOGITS = FloatBuffer.wrap(new float[] {
            0f, 0f, 0f, 0f, 0f,
            1f, 2f, -1f, 2.5f, 2.4f});

    @Test
    void should_pick_the_most_likely_token_of_the_row_when_greedy() {
        assertThat(TokenSampler.greedy().pick(LOGITS, 5, 5)).isEqualTo(3);
        assertThat(TokenSampler.greedy().pick(LOGITS, 0, 5)).isZero(); // ties go to the lowest id
    }

    @Test
    void should_draw_the_same_tokens_with_the_same_seed_and_other_tokens_with_other_seeds() {
        // given
        TokenSampler first = TokenSampler.sampled(1.0, 1.0, 0, 42);
        TokenSampler again = TokenSampler.sampled(1.0, 1.0, 0, 42);
        Set<Integer> drawn = new HashSet<>();

        // when / then
        for (int i = 0; i < 50; i++) {
            int token = first.pick(LOGITS, 5, 5);
            assertThat(again.pick(LOGITS, 5, 5)).isEqualTo(token);
            drawn.add(token);
        }
        assertThat(drawn).hasSizeGreaterThan(2);
    }

    @Test
    void should_only_draw_among_the_top_k_and_the_nucleus() {
        // given
        TokenSampler topTwo = TokenSampler.sampled(1.0, 1.0, 2, 7);
        TokenSampler nucleus = TokenSampler.sampled(1.0, 0.5, 0, 7);
        TokenSampler single = TokenSampler.sampled(5.0, 1.0, 1, 7);

        // when / then
        for (int i = 0; i < 100; i++) {
            assertThat(topTwo.pick(LOGITS, 5, 5)).isIn(3, 4);
            assertThat(nucleus.pick(LOGITS, 5, 5)).isIn(3, 4);
            assertThat(single.pick(LOGITS, 5, 5)).isEqualTo(3);
        }
    }
}
