package io.consilium.profiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SkillVectorTest {

    private static final UncertaintyThresholds THRESHOLDS = new UncertaintyThresholds(0.5, 0.2);

    @Test
    void should_sort_skills_by_probability() {
        SkillVector vector = SkillVector.of(List.of("a", "b", "c"), new double[] {0.1, 0.7, 0.2}, THRESHOLDS);

        assertThat(vector.skills()).extracting(SkillScore::id).containsExactly("b", "c", "a");
        assertThat(vector.top().score()).isEqualTo(0.7);
        assertThat(vector.probability("c")).isEqualTo(0.2);
        assertThat(vector.probability("zzz")).isZero();
        assertThat(vector.uncertain()).isFalse();
    }

    @Test
    void should_be_uncertain_when_the_top_is_low_or_the_margin_is_thin() {
        assertThat(SkillVector.of(List.of("a", "b", "c"), new double[] {0.4, 0.3, 0.3}, THRESHOLDS).uncertain())
                .as("top below 0.5").isTrue();
        assertThat(SkillVector.of(List.of("a", "b"), new double[] {0.55, 0.45}, THRESHOLDS).uncertain())
                .as("margin below 0.2").isTrue();
        assertThat(SkillVector.of(List.of("a", "b"), new double[] {0.75, 0.25}, THRESHOLDS).uncertain()).isFalse();
    }

    @Test
    void should_refuse_labels_and_probabilities_that_do_not_align() {
        assertThatThrownBy(() -> SkillVector.of(List.of("a"), new double[] {0.5, 0.5}, THRESHOLDS))
                .hasMessageContaining("labels (1) and probabilities (2)");
        assertThatThrownBy(() -> new UncertaintyThresholds(1.5, 0.1)).hasMessageContaining("but was 1.5");
    }

    @Test
    void should_carry_the_query_embedding_without_it_counting_in_equality() {
        SkillVector plain = SkillVector.of(List.of("a", "b"), new double[] {0.75, 0.25}, THRESHOLDS);

        SkillVector embedded = plain.withEmbedding(new float[] {0.6f, 0.8f});

        assertThat(plain.embedding()).isNull();
        assertThat(embedded.embedding()).containsExactly(0.6f, 0.8f);
        assertThat(embedded).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(embedded.skills()).isEqualTo(plain.skills());
    }
}
