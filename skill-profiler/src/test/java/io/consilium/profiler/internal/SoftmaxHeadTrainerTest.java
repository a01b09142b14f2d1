package io.consilium.profiler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxHeadTrainerTest {

    private static final int DIMENSION = 16;

    /** Unit vectors scattered around one random centre per class. */
    private static List<SoftmaxHeadTrainer.Example> clusters(int classes, int perClass, double noise, long seed) {
        Random random = new Random(seed);
        float[][] centres = new float[classes][DIMENSION];
        for (float[] centre : centres) {
            for (int d = 0; d < DIMENSION; d++) {
                centre[d] = (float) random.nextGaussian();
            }
        }
        List<SoftmaxHeadTrainer.Example> examples = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            for (int i = 0; i < perClass; i++) {
                float[] x = new float[DIMENSION];
                double norm = 0;
                for (int d = 0; d < DIMENSION; d++) {
                    x[d] = (float) (centres[k][d] + noise * random.nextGaussian());
                    norm += x[d] * x[d];
                }
                for (int d = 0; d < DIMENSION; d++) {
                    x[d] /= (float) Math.sqrt(norm);
                }
                examples.add(new SoftmaxHeadTrainer.Example(x, k));
            }
        }
        return examples;
    }

    @Test
    void should_separate_well_separated_classes_and_say_so_in_cross_validation() {
        // given
        List<SoftmaxHeadTrainer.Example> examples = clusters(4, 30, 0.3, 1);

        // when
        SoftmaxHeadTrainer.Result result = new SoftmaxHeadTrainer().train(List.of("a", "b", "c", "d"), examples, "fp");

        // then
        assertThat(result.crossValidation().topK(1)).isGreaterThan(0.95);
        assertThat(result.crossValidation().topK(4)).isEqualTo(1.0);
        assertThat(result.head().labels()).containsExactly("a", "b", "c", "d");
        assertThat(result.head().fingerprint()).isEqualTo("fp");
        double[] probabilities = result.head().probabilities(examples.get(35).embedding());
        assertThat(Arrays.stream(probabilities).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(probabilities[1]).isGreaterThan(0.5);
    }

    @Test
    void should_train_the_same_head_from_the_same_data() {
        // given
        List<SoftmaxHeadTrainer.Example> examples = clusters(3, 20, 0.5, 2);

        // when
        SoftmaxHead first = new SoftmaxHeadTrainer().train(List.of("a", "b", "c"), examples, "x").head();
        SoftmaxHead second = new SoftmaxHeadTrainer().train(List.of("a", "b", "c"), examples, "x").head();

        // then
        assertThat(first.weights()).isDeepEqualTo(second.weights());
        assertThat(first.temperature()).isEqualTo(second.temperature());
    }

    @Test
    void should_be_less_confident_on_overlapping_classes_than_on_separated_ones() {
        // given
        SoftmaxHeadTrainer trainer = new SoftmaxHeadTrainer();
        List<SoftmaxHeadTrainer.Example> separated = clusters(3, 30, 0.2, 3);
        List<SoftmaxHeadTrainer.Example> overlapping = clusters(3, 30, 3.0, 3);

        // when
        SoftmaxHead sharp = trainer.train(List.of("a", "b", "c"), separated, "s").head();
        SoftmaxHead blurred = trainer.train(List.of("a", "b", "c"), overlapping, "o").head();

        // then: calibration keeps the average top probability near what the data supports
        assertThat(meanTop(blurred, overlapping)).isLessThan(meanTop(sharp, separated));
    }

    private static double meanTop(SoftmaxHead head, List<SoftmaxHeadTrainer.Example> examples) {
        return examples.stream()
                .mapToDouble(e -> Arrays.stream(head.probabilities(e.embedding())).max().orElseThrow())
                .average().orElseThrow();
    }

    @Test
    void should_round_trip_through_the_shipped_json_format() throws Exception {
        // given
        SoftmaxHead head = new SoftmaxHeadTrainer().train(List.of("a", "b"), clusters(2, 10, 0.3, 4), "fp-1").head();
        var out = new java.io.ByteArrayOutputStream();

        // when
        SoftmaxHeadCodec.write(head, out);
        SoftmaxHead read = SoftmaxHeadCodec.read(new java.io.ByteArrayInputStream(out.toByteArray()));

        // then
        assertThat(read.labels()).isEqualTo(head.labels());
        assertThat(read.weights()).isDeepEqualTo(head.weights());
        assertThat(read.bias()).isEqualTo(head.bias());
        assertThat(read.temperature()).isEqualTo(head.temperature());
        assertThat(read.fingerprint()).isEqualTo("fp-1");
    }
}
