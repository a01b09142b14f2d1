package io.consilium.profiler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.profiler.SentenceEncoder;
import io.consilium.profiler.Skill;
import io.consilium.profiler.SkillTaxonomy;
import io.consilium.profiler.SkillVector;
import io.consilium.profiler.UncertaintyThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How the built-in classifier uses an encoder's two readings of a long text: the first when it is
 * certain, the average of both otherwise. The encoder here is a stand-in whose embeddings are chosen by
 * the test, so that which reading decided shows in the skills that win.
 */
class EmbeddingSkillClassifierTest {

    private static final int DIMENSION = 8;
    private static final List<String> SKILLS = List.of("alpha", "beta", "gamma");

    private final AtomicInteger openings = new AtomicInteger();

    @Test
    void should_keep_a_certain_first_reading_without_reading_the_text_again() {
        // given: the first reading sits on alpha's exemplars, the opening would say gamma
        StubEncoder encoder = new StubEncoder(partial(axis(0), axis(2)));
        EmbeddingSkillClassifier classifier = classifier(encoder);

        // when
        SkillVector vector = classifier.classify("a long request");

        // then
        assertThat(vector.top().id()).isEqualTo("alpha");
        assertThat(vector.uncertain()).isFalse();
        assertThat(openingReadings()).isZero();
    }

    @Test
    void should_average_both_readings_when_the_first_is_uncertain() {
        // given: the first reading lies halfway between alpha and beta, the opening on beta
        float[] first = between(0, 1);
        StubEncoder encoder = new StubEncoder(partial(first, axis(1)));
        EmbeddingSkillClassifier classifier = classifier(encoder);
        SkillVector firstAlone = classifier(new StubEncoder(SentenceEncoder.Reading.complete(first)))
                .classify("a long request");
        SkillVector openingAlone = classifier(new StubEncoder(SentenceEncoder.Reading.complete(axis(1))))
                .classify("a long request");

        // when
        SkillVector vector = classifier.classify("a long request");

        // then: beta wins, with the mean of the two readings' probabilities, and the first reading's embedding
        assertThat(vector.top().id()).isEqualTo("beta");
        assertThat(vector.top().score()).isCloseTo((score(firstAlone, "beta") + score(openingAlone, "beta")) / 2,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(vector.embedding()).containsExactly(first);
        assertThat(openingReadings()).isEqualTo(1);
    }

    @Test
    void should_keep_an_uncertain_reading_when_it_already_read_the_whole_text() {
        // given: a text short enough for the first window: its only reading is uncertain
        StubEncoder encoder = new StubEncoder(SentenceEncoder.Reading.complete(between(0, 1)));
        EmbeddingSkillClassifier classifier = classifier(encoder);

        // when
        SkillVector vector = classifier.classify("a short question");

        // then
        assertThat(vector.uncertain()).isTrue();
        assertThat(vector.skills().subList(0, 2)).extracting(score -> score.id())
                .containsExactlyInAnyOrder("alpha", "beta");
        assertThat(openingReadings()).isZero();
    }

    private int openingReadings() {
        return openings.get();
    }

    private static double score(SkillVector vector, String skill) {
        return vector.skills().stream().filter(score -> score.id().equals(skill)).findFirst().orElseThrow().score();
    }

    private EmbeddingSkillClassifier classifier(StubEncoder encoder) {
        List<Skill> skills = new ArrayList<>();
        for (String id : SKILLS) {
            List<String> exemplars = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                exemplars.add(id + " exemplar " + i);
            }
            skills.add(new Skill(id, "the " + id + " skill", exemplars));
        }
        return EmbeddingSkillClassifier.start(encoder, new SkillTaxonomy(1, skills), Optional.empty(), Map.of(),
                UncertaintyThresholds.DEFAULTS, EmbeddingSkillClassifier.Scoring.DEFAULTS, null);
    }

    private SentenceEncoder.Reading partial(float[] first, float[] opening) {
        return SentenceEncoder.Reading.partial(first, () -> {
            openings.incrementAndGet();
            return opening;
        });
    }

    /** Unit vector along one axis: each skill's exemplars cluster around its own axis. */
    private static float[] axis(int skill) {
        float[] vector = new float[DIMENSION];
        vector[skill] = 1;
        return vector;
    }

    private static float[] between(int one, int other) {
        float[] vector = new float[DIMENSION];
        vector[one] = (float) Math.sqrt(0.5);
        vector[other] = (float) Math.sqrt(0.5);
        return vector;
    }

    /**
     * Embeds an exemplar near its skill's axis (a little apart from its siblings, so the head has
     * something to fit) and reads the query as the test says.
     */
    private static final class StubEncoder implements SentenceEncoder {

        private final Reading query;

        StubEncoder(Reading query) {
            this.query = query;
        }

        @Override
        public String id() {
            return "stub";
        }

        @Override
        public int dimension() {
            return DIMENSION;
        }

        @Override
        public float[] embed(String text) {
            int skill = SKILLS.indexOf(text.substring(0, text.indexOf(' ')));
            int variant = text.charAt(text.length() - 1) - '0';
            float[] vector = axis(skill);
            vector[3 + variant % 5] = 0.1f;
            double norm = Math.sqrt(1 + 0.01);
            for (int d = 0; d < DIMENSION; d++) {
                vector[d] /= (float) norm;
            }
            return vector;
        }

        @Override
        public Reading read(String text) {
            return query;
        }

        @Override
        public void close() {}
    }
}
