package io.consilium.profiler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillVector;
import io.consilium.profiler.UncertaintyThresholds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachedQueryClassifierTest {

    /** Records what reaches it and answers by text length, so results differ by input. */
    private static final class RecordingClassifier implements QueryClassifier {
        final List<String> seen = new ArrayList<>();

        @Override
        public SkillVector classify(String text) {
            seen.add(text);
            double p = Math.min(0.99, text.length() / 100.0);
            return SkillVector.of(List.of("a", "b"), new double[] {p, 1 - p}, UncertaintyThresholds.DEFAULTS);
        }
    }

    @Test
    void should_classify_each_normalised_text_once() {
        // given
        RecordingClassifier delegate = new RecordingClassifier();
        CachedQueryClassifier cached = new CachedQueryClassifier(delegate, 100);

        // when
        SkillVector first = cached.classify("  What IS   a Derivative? ");
        SkillVector second = cached.classify("what is a derivative?");
        cached.classify("something else");

        // then
        assertThat(second).isSameAs(first);
        assertThat(delegate.seen).containsExactly("what is a derivative?", "something else");
    }

    @Test
    void should_classify_again_after_invalidation_and_stay_bounded() {
        // given
        RecordingClassifier delegate = new RecordingClassifier();
        CachedQueryClassifier cached = new CachedQueryClassifier(delegate, 10);
        cached.classify("q");

        // when
        cached.invalidateAll();
        cached.classify("q");
        for (int i = 0; i < 100; i++) {
            cached.classify("query number " + i);
        }

        // then
        assertThat(delegate.seen).hasSize(102);
        assertThat(cached.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void should_fold_unicode_width_and_white_space() {
        assertThat(CachedQueryClassifier.normalise("\tＡＢＣ\n  def ")).isEqualTo("abc def");
    }
}
