package io.consilium.router.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillScore;
import io.consilium.profiler.SkillVector;
import io.consilium.profiler.testing.TinyOnnxModels;
import io.consilium.router.ConsiliumApplication;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The bring-your-own ONNX classifier, chosen by configuration, and its start-up checks. */
class ClassifierStartupTest {

    private static ConfigurableApplicationContext start(String... args) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(
                "--spring.main.web-application-type=none", "--consilium.classifier.type=onnx"));
        all.addAll(java.util.List.of(args));
        return SpringApplication.run(ConsiliumApplication.class, all.toArray(String[]::new));
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    @Test
    void should_classify_with_a_configured_onnx_model_into_its_mapped_skills(@TempDir Path dir) {
        // given
        TinyOnnxModels.TinyModel model = TinyOnnxModels.sequenceClassifier(dir, 3, true, 7);

        // when
        try (ConfigurableApplicationContext context = start(
                "--consilium.classifier.onnx.model-path=" + model.model(),
                "--consilium.classifier.onnx.tokenizer-path=" + model.tokenizer(),
                "--consilium.classifier.onnx.labels=math.algebra,law,general.chat")) {
            SkillVector vector = context.getBean(QueryClassifier.class)
                    .classify(String.join(" ", TinyOnnxModels.WORDS.subList(0, 5)));

            // then
            assertThat(vector.skills()).extracting(SkillScore::id)
                    .containsExactlyInAnyOrder("math.algebra", "law", "general.chat");
            assertThat(vector.skills().stream().mapToDouble(SkillScore::score).sum()).isCloseTo(1.0,
                    org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    @Test
    void should_fail_start_up_naming_a_missing_model_file(@TempDir Path dir) {
        TinyOnnxModels.TinyModel model = TinyOnnxModels.sequenceClassifier(dir, 3, false, 7);
        Path missing = dir.resolve("nowhere/model.onnx");

        assertThatThrownBy(() -> start(
                "--consilium.classifier.onnx.model-path=" + missing,
                "--consilium.classifier.onnx.tokenizer-path=" + model.tokenizer(),
                "--consilium.classifier.onnx.labels=math.algebra,law,general.chat"))
                .satisfies(e -> assertThat(messages(e)).contains(missing.toString()));
    }

    @Test
    void should_fail_start_up_on_a_label_that_is_not_a_skill(@TempDir Path dir) {
        TinyOnnxModels.TinyModel model = TinyOnnxModels.sequenceClassifier(dir, 3, false, 7);

        assertThatThrownBy(() -> start(
                "--consilium.classifier.onnx.model-path=" + model.model(),
                "--consilium.classifier.onnx.tokenizer-path=" + model.tokenizer(),
                "--consilium.classifier.onnx.labels=math.algebra,law,astrology"))
                .satisfies(e -> assertThat(messages(e)).contains("'astrology'"));
    }
}
