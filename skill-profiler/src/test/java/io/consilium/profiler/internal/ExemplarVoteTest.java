package io.consilium.profiler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExemplarVoteTest {

    private static float[] unit(float x, float y) {
        float norm = (float) Math.sqrt(x * x + y * y);
        return new float[] {x / norm, y / norm};
    }

    @Test
    void should_score_each_skill_by_the_mean_of_its_closest_exemplars() {
        // given: skill 0 has four exemplars near the x axis (one far off), skill 1 one on the y axis
        ExemplarVote vote = ExemplarVote.of(List.of(
                new SoftmaxHeadTrainer.Example(unit(1, 0), 0),
                new SoftmaxHeadTrainer.Example(unit(1, 0.1f), 0),
                new SoftmaxHeadTrainer.Example(unit(1, 0.2f), 0),
                new SoftmaxHeadTrainer.Example(unit(0, 1), 0),
                new SoftmaxHeadTrainer.Example(unit(0, 1), 1)), 3, 0.05);

        // when
        double[] scores = vote.scores(unit(1, 0));
        double[] probabilities = vote.probabilities(unit(1, 0));

        // then: the far exemplar of skill 0 is not among its three closest; skill 2 has none
        assertThat(scores[0]).isCloseTo((1 + unit(1, 0.1f)[0] + unit(1, 0.2f)[0]) / 3, within(1e-6));
        assertThat(scores[1]).isCloseTo(0, within(1e-6));
        assertThat(scores[2]).isEqualTo(-1);
        assertThat(probabilities[0]).isGreaterThan(0.99);
        assertThat(probabilities[0] + probabilities[1] + probabilities[2]).isCloseTo(1, within(1e-9));
    }
}
